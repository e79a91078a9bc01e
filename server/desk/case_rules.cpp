#include "desk/case_rules.hpp"

#include "desk/routing.hpp"

#include <algorithm>
#include <array>

namespace lantern {
namespace {

// Who may give each command. Operators work only cases they own, except where noted;
// supervisors may also put any case back in the queue and hand cases over.
struct permission {
  command_kind kind;
  bool supervisors_only;
  bool owner_only;
};
constexpr std::array<permission, 11> permissions{{
    {command_kind::accept, false, false},
    {command_kind::release, false, true},
    {command_kind::note, false, false},
    {command_kind::contact, false, true},
    {command_kind::escalate, false, true},
    {command_kind::resolve, false, true},
    {command_kind::reopen, false, false},
    {command_kind::reassign, true, false},
    {command_kind::skip_responder, false, true},
    {command_kind::stop_escalation, false, true},
    {command_kind::restart_escalation, false, true},
}};

std::string case_name(const case_record& c) { return "case " + std::to_string(c.case_id); }

refusal invalid(std::string why) { return {refusal_code::invalid, std::move(why)}; }
refusal wrong_state(std::string why) { return {refusal_code::wrong_state, std::move(why)}; }

std::optional<refusal> check_length(const std::string& text, const char* what) {
  if (text.size() > max_note_length)
    return invalid(std::string(what) + " is too long (at most " + std::to_string(max_note_length) + " characters)");
  return std::nullopt;
}

std::optional<refusal> check_text(const std::string& text, const char* what) {
  if (std::all_of(text.begin(), text.end(), [](unsigned char ch) { return std::isspace(ch); }))
    return invalid(std::string(what) + " needs some text");
  return check_length(text, what);
}

std::string one_of(std::span<const code_label> codes) {
  std::string out;
  for (const auto& c : codes) out += (out.empty() ? "" : ", ") + std::string(c.id);
  return out;
}

std::optional<refusal> check_code(std::span<const code_label> codes, const std::string& value, const char* field) {
  if (label_of(codes, value)) return std::nullopt;
  if (value.empty()) return invalid(std::string(field) + " is required: one of " + one_of(codes));
  return invalid("unknown " + std::string(field) + " '" + value + "': one of " + one_of(codes));
}

std::optional<refusal> check_contact(const case_record& c, const case_command& command, const centre& records) {
  if (auto e = check_code(contact_targets(), command.who, "who")) return e;
  if (command.who == "responder") {
    const auto* p = person_of(c, records);
    bool in_plan = p && std::find(p->plan.responders.begin(), p->plan.responders.end(), command.carer_id) !=
                            p->plan.responders.end();
    if (command.carer_id.empty()) return invalid("carer_id is required when contacting a responder");
    if (!in_plan) return invalid("carer '" + command.carer_id + "' is not a responder in this person's plan");
  }
  if (auto e = check_code(contact_methods(), command.how, "how")) return e;
  if (auto e = check_code(contact_results(), command.result, "result")) return e;
  return std::nullopt;
}

std::optional<refusal> check_reassign(const case_record& c, const case_command& command, const centre& records) {
  auto it = records.operators.find(command.to);
  if (command.to.empty()) return invalid("to is required: the username who takes the case");
  if (it == records.operators.end()) return invalid("no operator '" + command.to + "'");
  if (!works_cases(it->second.role)) return invalid(it->second.display_name + " does not work cases (admin account)");
  if (c.owner == command.to)
    return refusal{refusal_code::already_done, case_name(c) + " is already accepted by " + it->second.display_name};
  return check_length(command.reason, "the reason");
}

// The state each command needs, beyond who gives it.
std::optional<refusal> check_state(const case_record& c, const case_command& command, const operator_account& actor,
                                   const centre& records, std::int64_t now_ms, std::int64_t reopen_window_ms) {
  bool resolved = c.state == case_state::resolved;
  if (resolved && command.kind != command_kind::reopen)
    return refusal{refusal_code::closed, case_name(c) + " is resolved: reopen it first"};
  switch (command.kind) {
    case command_kind::accept:
      if (c.owner == actor.username)
        return refusal{refusal_code::already_done, "you have already accepted " + case_name(c)};
      if (!c.owner.empty())
        return refusal{refusal_code::already_done, "already accepted by " + records.display_name(c.owner)};
      return std::nullopt;
    case command_kind::release:
    case command_kind::escalate:
    case command_kind::contact:
    case command_kind::resolve:
      if (c.state == case_state::queued) return wrong_state(case_name(c) + " is in the queue: accept it first");
      if (command.kind == command_kind::escalate && c.state == case_state::escalated)
        return refusal{refusal_code::already_done, case_name(c) + " is already escalated"};
      if (command.kind == command_kind::contact) return check_contact(c, command, records);
      if (command.kind == command_kind::resolve) {
        if (auto e = check_code(outcome_codes(), command.outcome, "outcome")) return e;
        return check_text(command.note, "a resolution note");
      }
      if (command.kind == command_kind::escalate) return check_length(command.note, "the escalation reason");
      return std::nullopt;
    case command_kind::note:
      if (std::count_if(c.timeline.begin(), c.timeline.end(), [](const timeline_entry& t) {
            return t.kind == "note";
          }) >= static_cast<std::ptrdiff_t>(max_notes_per_case))
        return wrong_state(case_name(c) + " already has " + std::to_string(max_notes_per_case) +
                           " notes: put what matters in the resolution note");
      return check_text(command.note, "a note");
    case command_kind::reopen:
      if (!resolved) return wrong_state(case_name(c) + " is not resolved");
      if (now_ms - c.resolved_at_ms > reopen_window_ms)
        return refusal{refusal_code::closed, case_name(c) + " was resolved more than " +
                                                 std::to_string(reopen_window_ms / 60'000) +
                                                 " minutes ago and is closed"};
      return std::nullopt;
    case command_kind::reassign:
      return check_reassign(c, command, records);
    case command_kind::skip_responder:
      if (c.escalation.status != escalation_status::calling)
        return wrong_state(case_name(c) + " has no responder being called");
      return std::nullopt;
    case command_kind::stop_escalation:
      if (!c.escalation.is_running()) return wrong_state(case_name(c) + " has no escalation running");
      return std::nullopt;
    case command_kind::restart_escalation:
      if (c.escalation.status == escalation_status::none)
        return wrong_state(case_name(c) + " has not been escalated: escalate it");
      if (c.state == case_state::queued) return wrong_state(case_name(c) + " is in the queue: accept it first");
      return std::nullopt;
    default:
      return invalid("'" + std::string(to_string(command.kind)) + "' is not an operator's command");
  }
  return std::nullopt;
}

}  // namespace

std::optional<refusal> command_refusal(const case_record* c, const case_command& command, const operator_account& actor,
                                       const centre& records, std::int64_t now_ms, std::int64_t reopen_window_ms) {
  if (!is_console_command(command.kind))
    return invalid("'" + std::string(to_string(command.kind)) + "' is not an operator's command");
  const auto& rule = permissions[static_cast<std::size_t>(command.kind)];
  std::string verb(to_string(command.kind));
  if (!works_cases(actor.role) || (rule.supervisors_only && actor.role != operator_role::supervisor))
    return refusal{refusal_code::not_permitted,
                   "your role (" + std::string(to_string(actor.role)) + ") may not " + verb + " cases"};
  if (c == nullptr) return no_such_case(command.case_id);
  if (rule.owner_only && c->owner != actor.username && !c->owner.empty()) {
    // Supervisors may put anyone's case back in the queue (then hand it on).
    bool supervisor_release = command.kind == command_kind::release && actor.role == operator_role::supervisor;
    if (!supervisor_release)
      return refusal{refusal_code::not_permitted,
                     case_name(*c) + " is accepted by " + records.display_name(c->owner) + ", not you"};
  }
  return check_state(*c, command, actor, records, now_ms, reopen_window_ms);
}

refusal no_such_case(std::int64_t case_id) {
  return {refusal_code::no_such_case, "no open or recently resolved case " + std::to_string(case_id)};
}

}  // namespace lantern
