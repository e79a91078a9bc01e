// Where a command is checked and handed to the journal. It is checked against the desk on
// the core's strand (desk::check: the rules are desk/case_rules and desk/escalation_chain);
// if allowed it is journaled, and the desk applies it only when the journal reports it
// committed, in commit order with the alarms (apply_committed.cpp). So an answer is given
// only once the change is durable, and a restart replays exactly what was answered. One
// command per case is in flight at a time (the others wait their turn), so a command is
// never checked against a state that a command ahead of it is about to change: two
// operators pressing accept at the same instant get one "ok" and one "already accepted by".
#include "core/desk_core.hpp"

#include "desk/escalation_chain.hpp"

namespace lantern {

void desk_core::command(command_request request) {
  net::post(strand_, [this, request = std::move(request)]() mutable {
    auto case_id = request.command.case_id;
    auto busy = waiting_.find(case_id);
    if (busy == waiting_.end()) {
      start_command(std::move(request));
      return;
    }
    // Bounded like every queue: a console that floods one case is refused, not buffered.
    auto& queue = busy->second;
    if (queue.size() >= max_waiting_per_case)
      request.answered(
          refusal{refusal_code::busy, "too many commands waiting for case " + std::to_string(case_id) + ": try again"});
    else
      queue.push_back(std::move(request));
  });
}

bool desk_core::start_command(command_request request) {
  auto now = clock_();
  if (auto refused = desk_.check(request.command, request.actor, now)) {
    request.answered(refused);
    return false;
  }
  auto token = next_token_++;
  waiting_[request.command.case_id];  // marks the case busy
  case_action action{0, now, request.actor, request.command, token};
  in_flight_.emplace(token, std::move(request));
  journal_.append_action(std::move(action), [this, token](event_journal::outcome outcome) {
    net::post(strand_, [this, token, outcome] {
      command_done(token,
                   outcome == event_journal::outcome::overloaded
                       ? refusal{refusal_code::overloaded, "the centre is overloaded: nothing was changed, try again"}
                       : refusal{refusal_code::not_stored, "could not be stored: nothing was changed, try again"});
    });
  });
  return true;
}

// Answers the command behind `token` (0: a replayed event, nobody waits), frees its case
// and starts the commands waiting behind it, in the order they came.
void desk_core::command_done(std::uint64_t token, const command_answer& answer) {
  auto it = in_flight_.find(token);
  if (it == in_flight_.end()) return;
  auto case_id = it->second.command.case_id;
  it->second.answered(answer);
  in_flight_.erase(it);
  auto waiting = waiting_.find(case_id);
  auto& queue = waiting->second;
  // A refused command is answered at once: go on until one is in flight (the case stays
  // busy) or none is left (the case is free).
  while (!queue.empty()) {
    auto next = std::move(queue.front());
    queue.pop_front();
    if (start_command(std::move(next))) return;
  }
  waiting_.erase(waiting);
}

void desk_core::system_command(case_command step) {
  auto kind = step.kind;
  auto case_id = step.case_id;
  command({system_actor, std::move(step), [this, kind, case_id](const command_answer& answer) {
             // Not due any more: another step got there first, nothing to report.
             if (answer && answer->code != refusal_code::not_due && answer->code != refusal_code::already_done)
               log_->warn("server step {} on case {} not recorded: {}", to_string(kind), case_id, answer->reason);
           }});
}

// The server's own steps that are due, journaled like any other command: a restart finds
// them on disk, and overdue ones fire at once.
void desk_core::run_due_steps() {
  for (auto& step : desk_.due_steps(clock_()))
    if (!waiting_.contains(step.case_id)) system_command(std::move(step));  // in flight: look again next second
}

}  // namespace lantern
