// A case an operator opens by hand, for a person who phoned in or whose relative did: stored
// like any alarm (durable before the answer), without a device, and owned by that operator.
#include "core/desk_core.hpp"
#include "desk/case_rules.hpp"
#include "desk/routing.hpp"

namespace lantern {

namespace {

std::string case_types() {
  std::string out;
  for (auto type : all_alarm_types())
    if (opens_case(type)) out += (out.empty() ? "" : ", ") + std::string(to_string(type));
  return out;
}

}  // namespace

void desk_core::open_case_by_hand(std::string actor, std::string person_id, std::string type_name, std::string note,
                                  std::function<void(const command_answer&)> done) {
  net::post(strand_, [this, actor = std::move(actor), person_id = std::move(person_id),
                      type_name = std::move(type_name), note = std::move(note), done = std::move(done)]() mutable {
    auto refused = [&](refusal_code code, std::string why) { done(refusal{code, std::move(why)}); };
    auto account = records_.operators.find(actor);
    if (account == records_.operators.end() || !works_cases(account->second.role))
      return refused(refusal_code::not_permitted, "your role may not open cases");
    const auto* who = records_.find_person(person_id);
    if (who == nullptr) return refused(refusal_code::invalid, "no person '" + person_id + "'");
    auto type = parse_alarm_type(type_name);
    if (!type || !opens_case(*type))
      return refused(refusal_code::invalid, "unknown case type '" + type_name + "': one of " + case_types());
    if (note.size() > max_note_length)
      return refused(refusal_code::invalid,
                     "the note is too long (at most " + std::to_string(max_note_length) + " characters)");
    if (const auto* open = desk_.open_case_from(person_id, *type))
      return refused(refusal_code::already_done, who->name + " already has an open " + std::string(to_string(*type)) +
                                                     " case (case " + std::to_string(open->case_id) +
                                                     "): work that one");
    alarm_event alarm;
    alarm.person_id = person_id;
    alarm.type = *type;
    alarm.occurred_at_ms = alarm.received_at_ms = clock_();
    alarm.detail = std::move(note);
    alarm.opened_by = actor;
    journal_.append(std::move(alarm), [this, done = std::move(done)](event_journal::outcome stored) {
      net::post(strand_, [done, stored] {
        if (stored == event_journal::outcome::stored)
          done(std::nullopt);
        else
          done(refusal{refusal_code::not_stored, "the case could not be stored: nothing was opened; try again"});
      });
    });
  });
}

}  // namespace lantern
