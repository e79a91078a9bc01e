#include "desk/desk.hpp"

#include <algorithm>

namespace lantern {

void desk::restore(std::vector<case_record> open_cases, std::int64_t next_case_id) {
  open_.clear();
  open_by_person_.clear();
  open_by_priority_ = {};
  for (auto& c : open_cases) {
    open_by_person_[c.person_id].push_back(c.case_id);
    ++open_by_priority_[static_cast<std::size_t>(c.level)];
    open_.emplace(c.case_id, std::move(c));
  }
  next_case_id_ = next_case_id;
}

priority desk::priority_for(const std::string& person_id, alarm_type type) const {
  std::optional<priority> override_level;
  if (const auto* p = records_.find_person(person_id))
    if (const auto* rule = p->plan.rule_for(type)) override_level = rule->priority_override;
  return effective_priority(type, override_level);
}

case_record* desk::open_case_of(const std::string& person_id, std::optional<alarm_type> type) {
  auto it = open_by_person_.find(person_id);
  if (it == open_by_person_.end()) return nullptr;
  // Newest first: a cancel belongs to the alarm the person has just raised.
  for (auto id = it->second.rbegin(); id != it->second.rend(); ++id) {
    auto& c = open_.at(*id);
    if (!type || c.type == *type) return &c;
  }
  return nullptr;
}

std::optional<case_record> desk::apply(const alarm_event& alarm) {
  if (alarm.type == alarm_type::cancel) {
    auto* c = open_case_of(alarm.person_id, std::nullopt);
    if (c == nullptr) return std::nullopt;
    c->cancelled_at_unit = true;
    c->last_event_id = alarm.event_id;
    return *c;
  }
  if (!opens_case(alarm.type)) return std::nullopt;

  // A repeat press is news about the open case, not a new case.
  if (auto* c = open_case_of(alarm.person_id, alarm.type)) {
    c->alarm_count += 1;
    c->last_alarm_at_ms = alarm.received_at_ms;
    c->last_event_id = alarm.event_id;
    return *c;
  }

  case_record c;
  c.case_id = next_case_id_++;
  c.person_id = alarm.person_id;
  c.type = alarm.type;
  c.level = priority_for(alarm.person_id, alarm.type);
  c.opened_at_ms = c.last_alarm_at_ms = alarm.received_at_ms;
  c.device_id = alarm.device_id;
  c.detail = alarm.detail;
  c.first_event_id = c.last_event_id = alarm.event_id;
  open_by_person_[c.person_id].push_back(c.case_id);
  ++open_by_priority_[static_cast<std::size_t>(c.level)];
  return open_.emplace(c.case_id, c).first->second;
}

std::vector<const case_record*> desk::queue() const {
  std::vector<const case_record*> out;
  out.reserve(open_.size());
  for (const auto& [_, c] : open_) out.push_back(&c);
  std::sort(out.begin(), out.end(), [](const case_record* a, const case_record* b) {
    return std::tie(a->level, a->opened_at_ms, a->case_id) < std::tie(b->level, b->opened_at_ms, b->case_id);
  });
  return out;
}

std::size_t desk::open_count(priority level) const { return open_by_priority_[static_cast<std::size_t>(level)]; }

}  // namespace lantern
