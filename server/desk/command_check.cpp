// Where a command is checked: before it is journaled (core/command_pipeline.cpp) and again
// when it is applied. An operator's command goes to case_rules; a carer's reply and the
// server's own steps to the escalation chain's rules; a device's return is the server's.
#include "desk/desk.hpp"

#include "desk/case_rules.hpp"
#include "desk/escalation_chain.hpp"

namespace lantern {

std::optional<refusal> desk::check(const case_command& command, const std::string& actor, std::int64_t now_ms) const {
  if (command.kind == command_kind::device_returned) return device_return_refusal(find(command.case_id), actor);
  if (!is_console_command(command.kind)) return escalation_step_refusal(find(command.case_id), command, actor, now_ms);
  auto account = records_.operators.find(actor);
  if (account == records_.operators.end())
    return refusal{refusal_code::not_permitted, "unknown operator '" + actor + "'"};
  return command_refusal(find(command.case_id), command, account->second, records_, now_ms, settings_.reopen_window_ms);
}

std::optional<refusal> desk::device_return_refusal(const case_record* c, const std::string& actor) const {
  if (actor != system_actor) return refusal{refusal_code::not_permitted, "only the server records this step"};
  if (c == nullptr || !c->is_open() || c->type != alarm_type::missed_checkin)
    return refusal{refusal_code::already_done, "no open missed check-in case to close"};
  return std::nullopt;
}

}  // namespace lantern
