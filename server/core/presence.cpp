// An operator's state follows their work: taking a case sets them "on a call", so no new case
// is offered to them "for you" while they talk; when they no longer own an open case they go
// back to what they were. Choosing a state by hand in between is what stands.
#include "core/desk_core.hpp"

namespace lantern {

presence desk_core::chosen_presence(const std::string& username) const {
  auto chosen = chosen_presence_.find(username);
  return chosen == chosen_presence_.end() ? presence::ready : chosen->second;
}

void desk_core::choose_presence(const std::string& username, presence state) {
  chosen_presence_[username] = state;
  // Offline stays offline: an operator with no console open is on no floor.
  if (desk_.presence_on_floor().contains(username)) desk_.set_presence(username, state);
  for (auto* s : subscribers_) s->presence_chosen(username, state);
}

void desk_core::follow_work(const std::string& owner_before, const case_record& c) {
  auto follows = [&](const std::string& username) {
    auto it = records_.operators.find(username);
    return it != records_.operators.end() && it->second.auto_presence;
  };
  if (!c.owner.empty() && c.owner != owner_before && c.is_open() && follows(c.owner) &&
      chosen_presence(c.owner) == presence::ready) {
    resume_after_work_[c.owner] = presence::ready;
    choose_presence(c.owner, presence::on_call);
  }
  auto resume = resume_after_work_.find(owner_before);
  if (owner_before.empty() || resume == resume_after_work_.end() || (c.owner == owner_before && c.is_open())) return;
  if (desk_.owns_open_case(owner_before)) return;
  auto state = resume->second;
  resume_after_work_.erase(resume);
  choose_presence(owner_before, state);
}

}  // namespace lantern
