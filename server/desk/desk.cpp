#include "desk/desk.hpp"

#include "desk/case_rules.hpp"
#include "desk/escalation_chain.hpp"

#include <algorithm>

namespace lantern {

void desk::restore(desk_restore_point& point) {
  cases_.clear();
  open_by_person_.clear();
  history_.clear();
  open_by_priority_ = {};
  answers_ = {};
  for (const auto& past : point.opened_lately) {
    if (past.opened_by_hand) {
      answers_.opened_by_hand(past.case_id, past.opened_at_ms);
      continue;
    }
    answers_.opened(past.case_id, past.type, past.opened_at_ms);
    if (past.answered_at_ms) answers_.answered(past.case_id, past.answered_at_ms);
  }
  for (auto& past : point.history) {
    auto& list = history_[past.person_id];
    if (list.size() < history_length) list.push_back(std::move(past));  // given newest first
  }
  for (auto& past_case : point.cases) {
    past_case.plan_changes = plan_changes_since_open(past_case, records_);
    auto& c = cases_.emplace(past_case.case_id, std::move(past_case)).first->second;
    if (c.is_open()) {
      open_by_person_[c.person_id].push_back(&c);
      ++open_by_priority_[static_cast<std::size_t>(c.level)];
    }
  }
  next_case_id_ = point.next_case_id;
  plans_then_ = std::move(point.plans_then);
}

void desk::person_changed(const std::string& person_id) {
  for (auto& [_, c] : cases_)
    if (c.person_id == person_id) c.plan_changes = plan_changes_since_open(c, records_);
}

const person* desk::person_at(const alarm_event& alarm) const {
  if (auto then = plans_then_.find(alarm.event_id); then != plans_then_.end()) return then->second.get();
  return records_.find_person(alarm.person_id);
}

case_record* desk::open_case_of(const std::string& person_id, std::optional<alarm_type> type) {
  // Newest first: a cancel belongs to the alarm the person has just raised.
  return newest_open_case(person_id, [&](const case_record& c) { return !type || c.type == *type; });
}

case_record& desk::open_new_case(const alarm_event& alarm) {
  auto& c = cases_.emplace(next_case_id_, case_record{}).first->second;
  c.case_id = next_case_id_++;
  c.person_id = alarm.person_id;
  c.type = alarm.type;
  const auto* p = person_at(alarm);
  std::optional<priority> override_level;
  if (p != nullptr)
    if (const auto* rule = p->plan.rule_for(alarm.type)) override_level = rule->priority_override;
  c.level = effective_priority(alarm.type, override_level);
  c.opened_at_ms = c.last_alarm_at_ms = alarm.received_at_ms;
  c.device_id = alarm.device_id;
  c.detail = alarm.detail;
  c.first_event_id = c.last_event_id = alarm.event_id;
  if (p != nullptr) {
    c.language = p->preferred_language;
    c.plan_at_open = std::make_shared<const person>(*p);
    c.plan_changes = plan_changes_since_open(c, records_);
  }
  c.language_first_until_ms =
      language_first_until(c.language, floor_, records_, alarm.received_at_ms, settings_.language_first_ms);
  open_by_person_[c.person_id].push_back(&c);
  ++open_by_priority_[static_cast<std::size_t>(c.level)];
  if (!alarm.opened_by.empty()) {
    // Opened by the operator handling it: theirs at once, and in no answer rate.
    c.timeline.push_back({alarm.received_at_ms, "opened_by_hand", alarm.opened_by, alarm.detail});
    take(c, alarm.opened_by, alarm.received_at_ms);
    answers_.opened_by_hand(c.case_id, c.opened_at_ms);
    return c;
  }
  c.timeline.push_back({alarm.received_at_ms, "alarm", alarm.device_id, alarm.detail});
  answers_.opened(c.case_id, c.type, c.opened_at_ms);
  return c;
}

const case_record* desk::apply(const alarm_event& alarm) {
  if (alarm.type == alarm_type::cancel) {
    auto* c = open_case_of(alarm.person_id, std::nullopt);
    if (c == nullptr) return nullptr;
    c->cancelled_at_unit = true;
    c->last_event_id = alarm.event_id;
    c->timeline.push_back({alarm.received_at_ms, "cancelled_at_unit", alarm.device_id, alarm.detail});
    return c;
  }
  if (alarm.type == alarm_type::restore) {
    // The unit's own report that the condition cleared: news for the case its alarm opened.
    auto* found =
        newest_open_case(alarm.person_id, [&](const case_record& c) { return c.device_id == alarm.device_id; });
    if (found == nullptr) return nullptr;
    auto& c = *found;
    c.last_event_id = alarm.event_id;
    c.timeline.push_back({alarm.received_at_ms, "restored_at_unit", alarm.device_id, alarm.detail});
    return &c;
  }
  if (!opens_case(alarm.type)) return nullptr;

  // A repeat press is news about the open case, not a new case.
  auto* c = open_case_of(alarm.person_id, alarm.type);
  if (c != nullptr) {
    c->alarm_count += 1;
    c->last_alarm_at_ms = alarm.received_at_ms;
    c->last_event_id = alarm.event_id;
    add_repeat(*c, alarm);
  } else {
    c = &open_new_case(alarm);
  }
  if (alarm.seq_reused)
    c->timeline.push_back({alarm.received_at_ms, "seq_reused", alarm.device_id,
                           "The device sent this under seq " + std::to_string(alarm.device_seq) +
                               ", which it had used for a different alarm: its counter went back (a reset?). "
                               "Check the unit."});
  return c;
}

void desk::add_repeat(case_record& c, const alarm_event& alarm) {
  // Presses in a row make one line: a stuck pull cord must not grow the case without end.
  std::string detail = alarm.detail.empty() ? "" : " (latest: " + alarm.detail + ")";
  if (!c.timeline.empty() && c.timeline.back().kind == "repeat") {
    auto& line = c.timeline.back();
    line.at_ms = alarm.received_at_ms;
    line.text = std::to_string(++c.repeats_in_a_row) + " repeats" + detail;
    return;
  }
  c.repeats_in_a_row = 1;
  c.timeline.push_back({alarm.received_at_ms, "repeat", alarm.device_id, "1 repeat" + detail});
}

void desk::take(case_record& c, const std::string& username, std::int64_t at_ms) {
  c.owner = username;
  c.owned_since_ms = at_ms;
  if (c.state == case_state::queued) c.state = case_state::accepted;
  if (c.answered_at_ms == 0) {
    c.answered_at_ms = at_ms;
    answers_.answered(c.case_id, at_ms);
  }
}

void desk::resolve(case_record& c, const std::string& outcome, std::int64_t at_ms) {
  escalation_chain(c, records_, settings_.arrival_grace_ms).stop(at_ms, "the case is resolved");
  c.state = case_state::resolved;
  c.outcome = outcome;
  c.resolved_at_ms = at_ms;
  close(c);
}

void desk::close(case_record& c) {
  auto& ids = open_by_person_[c.person_id];
  std::erase(ids, &c);
  if (ids.empty()) open_by_person_.erase(c.person_id);
  --open_by_priority_[static_cast<std::size_t>(c.level)];
  auto& past = history_[c.person_id];
  past.insert(past.begin(), {c.case_id, c.person_id, c.type, c.outcome, c.opened_at_ms, c.answered_at_ms});
  if (past.size() > history_length) past.pop_back();
}

void desk::reopen(case_record& c) {
  open_by_person_[c.person_id].push_back(&c);
  ++open_by_priority_[static_cast<std::size_t>(c.level)];
  auto& past = history_[c.person_id];
  std::erase_if(past, [&](const past_case& p) { return p.case_id == c.case_id; });
  c.outcome.clear();
  c.resolved_at_ms = 0;
  c.escalated_at_ms = 0;
}

std::string desk::describe_contact(const case_record& c, const case_command& command) const {
  std::string whom;
  if (command.who == "person") {
    const auto* p = person_of(c, records_);
    whom = p ? p->name : "the person";
  } else if (command.who == "responder") {
    const auto* carer = records_.find_carer(command.carer_id);
    whom = carer ? carer->name + " (" + carer->relationship + ")" : command.carer_id;
  } else {
    whom = "emergency services";
  }
  return "Contacted " + whom + " by " + std::string(*label_of(contact_methods(), command.how)) + ": " +
         std::string(*label_of(contact_results(), command.result));
}

const case_record* desk::execute(const case_action& action) {
  const auto& command = action.command;
  if (check(command, action.actor, action.at_ms)) return nullptr;
  auto& c = cases_.at(command.case_id);
  auto level_before = c.level;
  if (command.kind == command_kind::device_returned) {
    // The device is back: the technical case closes by itself, with the note saying so.
    resolve(c, "technical_issue", action.at_ms);
    c.timeline.push_back({action.at_ms, "resolve", action.actor, command.note});
  } else if (!is_console_command(command.kind)) {
    run_escalation(c, action);
  } else {
    c.attention.clear();  // an operator has it in hand again
    apply_command(c, action);
  }
  c.last_event_id = action.event_id;
  if (c.level != level_before && c.is_open()) {
    --open_by_priority_[static_cast<std::size_t>(level_before)];
    ++open_by_priority_[static_cast<std::size_t>(c.level)];
  }
  return &c;
}

void desk::run_escalation(case_record& c, const case_action& action) {
  escalation_chain chain(c, records_, settings_.arrival_grace_ms);
  if (action.command.kind != command_kind::auto_escalate) {
    chain.apply_step(action);
    return;
  }
  c.state = case_state::escalated;
  c.escalated_at_ms = action.at_ms;
  c.timeline.push_back({action.at_ms, "escalate", action.actor, action.command.note});
  chain.start(action.at_ms);
}

void desk::apply_command(case_record& c, const case_action& action) {
  const auto& command = action.command;
  escalation_chain chain(c, records_, settings_.arrival_grace_ms);
  std::string text = command.note;
  switch (command.kind) {
    case command_kind::accept:
      take(c, action.actor, action.at_ms);
      break;
    case command_kind::release:
      c.owner.clear();
      c.state = case_state::queued;
      c.escalated_at_ms = 0;
      break;
    case command_kind::note:
      break;
    case command_kind::contact:
      text = describe_contact(c, command);
      break;
    case command_kind::escalate:
    case command_kind::restart_escalation:
      chain.stop(action.at_ms, "restarted");
      c.state = case_state::escalated;
      c.escalated_at_ms = action.at_ms;
      break;
    case command_kind::skip_responder:
    case command_kind::stop_escalation:
      break;
    case command_kind::resolve:
      resolve(c, command.outcome, action.at_ms);
      text = std::string(*label_of(outcome_codes(), command.outcome)) + ": " + command.note;
      break;
    case command_kind::reopen:
      reopen(c);
      c.state = case_state::accepted;
      take(c, action.actor, action.at_ms);
      break;
    case command_kind::reassign:
      // Taking it oneself from someone is a take-over: the timeline names who lost it.
      text = command.to == action.actor && !c.owner.empty() ? "taken over from " + records_.display_name(c.owner)
                                                            : "to " + records_.display_name(command.to);
      if (!command.reason.empty()) text += ": " + command.reason;
      take(c, command.to, action.at_ms);
      break;
    default:
      break;
  }
  c.timeline.push_back({action.at_ms, std::string(to_string(command.kind)), action.actor, std::move(text)});
  // The chain's own lines follow the operator's.
  if (command.kind == command_kind::escalate || command.kind == command_kind::restart_escalation)
    chain.start(action.at_ms);
  else if (command.kind == command_kind::skip_responder)
    chain.skip(action.at_ms, action.actor);
  else if (command.kind == command_kind::stop_escalation) {
    chain.stop(action.at_ms, "by " + records_.display_name(action.actor));
    c.state = c.owner.empty() ? case_state::queued : case_state::accepted;
    c.escalated_at_ms = 0;
  }
}

void desk::set_presence(const std::string& username, presence state) {
  if (state == presence::offline)
    floor_.erase(username);
  else
    floor_[username] = state;
}

std::vector<const case_record*> desk::queue() const {
  std::vector<const case_record*> out;
  out.reserve(cases_.size());
  for (const auto& [_, c] : cases_)
    if (c.is_open()) out.push_back(&c);
  std::sort(out.begin(), out.end(), [](const case_record* a, const case_record* b) {
    return std::tie(a->level, a->opened_at_ms, a->case_id) < std::tie(b->level, b->opened_at_ms, b->case_id);
  });
  return out;
}

std::vector<const case_record*> desk::recently_resolved() const {
  std::vector<const case_record*> out;
  for (const auto& [_, c] : cases_)
    if (!c.is_open()) out.push_back(&c);
  std::sort(out.begin(), out.end(),
            [](const case_record* a, const case_record* b) { return a->resolved_at_ms > b->resolved_at_ms; });
  return out;
}

const case_record* desk::find(std::int64_t case_id) const {
  auto it = cases_.find(case_id);
  return it == cases_.end() ? nullptr : &it->second;
}

const case_record* desk::open_case_from(const std::string& person_id, alarm_type type,
                                        std::optional<std::string_view> device_id) const {
  return newest_open_case(
      person_id, [&](const case_record& c) { return c.type == type && (!device_id || c.device_id == *device_id); });
}

bool desk::owns_open_case(const std::string& username) const {
  return std::any_of(cases_.begin(), cases_.end(),
                     [&](const auto& entry) { return entry.second.is_open() && entry.second.owner == username; });
}

std::span<const past_case> desk::history_of(const std::string& person_id) const {
  auto it = history_.find(person_id);
  if (it == history_.end()) return {};
  return it->second;
}

std::size_t desk::open_count(priority level) const { return open_by_priority_[static_cast<std::size_t>(level)]; }

void desk::forget_before(std::int64_t now_ms, std::int64_t keep_from_ms) {
  std::erase_if(cases_, [&](const auto& entry) {
    const auto& c = entry.second;
    return !c.is_open() && now_ms - c.resolved_at_ms > settings_.reopen_window_ms;
  });
  answers_.forget_before(keep_from_ms);
}

std::vector<case_command> desk::due_steps(std::int64_t now_ms) const {
  std::vector<case_command> out;
  for (const auto* c : queue()) {
    for (auto& step : lantern::due_steps(*c, now_ms)) out.push_back(std::move(step));
    if (c->state != case_state::queued || !c->owner.empty() || c->escalation.status != escalation_status::none)
      continue;
    const auto* p = person_of(*c, records_);
    const auto* rule = p ? p->plan.rule_for(c->type) : nullptr;
    if (rule == nullptr || !rule->escalate_after_s || now_ms < c->opened_at_ms + *rule->escalate_after_s * 1000LL)
      continue;
    case_command escalate;
    escalate.kind = command_kind::auto_escalate;
    escalate.case_id = c->case_id;
    escalate.note = "no operator accepted within " + std::to_string(*rule->escalate_after_s) + " s (plan rule)";
    out.push_back(std::move(escalate));
  }
  return out;
}

}  // namespace lantern
