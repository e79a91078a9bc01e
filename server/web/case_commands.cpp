// The hub's command path. A command is checked against the desk on the hub's strand; if
// allowed it is journaled, and the desk applies it only when the journal reports it
// committed, in commit order with the alarms. So a result is sent only once the change is
// durable, and a restart replays exactly what was answered. One command per case is in
// flight at a time (the others wait their turn), so a command is never checked against a
// state that a command ahead of it is about to change: two operators pressing accept at
// the same instant get one "ok" and one "already accepted by ...".
#include "web/console_hub.hpp"

#include "centre/calendar.hpp"
#include "web/console_messages.hpp"

#include <boost/asio/post.hpp>

namespace lantern {

void console_hub::command(console_command request) {
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
      answer(request, "too many commands waiting for case " + std::to_string(case_id) + ": try again");
    else
      queue.push_back(std::move(request));
  });
}

bool console_hub::start_command(console_command request) {
  auto now = now_ms();
  if (auto refused = desk_.check(request.command, request.username, now)) {
    answer(request, *refused);
    return false;
  }
  auto token = next_token_++;
  waiting_[request.command.case_id];  // marks the case busy
  case_action action{0, now, request.username, request.command, token};
  in_flight_.emplace(token, std::move(request));
  store_.append_action(std::move(action), [this, token](journal::outcome outcome) {
    net::post(strand_, [this, token, outcome] {
      command_done(token, outcome == journal::outcome::overloaded
                              ? "the centre is overloaded: nothing was changed, try again"
                              : "could not be stored: nothing was changed, try again");
    });
  });
  return true;
}

void console_hub::apply_action(const case_action& action) {
  const auto* before = desk_.find(action.command.case_id);
  auto status_before = before ? before->escalation.status : escalation_status::none;
  const auto* c = desk_.execute(action);
  if (c == nullptr) {
    // Only a replay of an event this version's rules refuse gets here; it changes nothing.
    log_->warn("case action {} on case {} by '{}' no longer applies; ignored", to_string(action.command.kind),
               action.command.case_id, action.actor);
    unsaved_watermark_ = action.event_id;
    command_done(action.request_token,
                 "refused after all: the case changed while this was being stored; look at it again");
    return;
  }
  changed(*c, action.event_id);
  count_escalation(action, status_before, *c);
  escalation_changed(*c);
  auto kind = action.command.kind;
  if (kind == command_kind::accept || kind == command_kind::reassign || kind == command_kind::reopen) send_access(*c);
  command_done(action.request_token, {});
}

// Answers the command behind `token` (0: a replayed event, nobody waits), frees its case
// and starts the commands waiting behind it, in the order they came.
void console_hub::command_done(std::uint64_t token, const std::string& error) {
  auto it = in_flight_.find(token);
  if (it == in_flight_.end()) return;
  auto case_id = it->second.command.case_id;
  answer(it->second, error);
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

void console_hub::answer(const console_command& request, const std::string& error) {
  if (request.on_answer) {
    request.on_answer(error);
    return;
  }
  if (auto console = request.console.lock())
    console->deliver(std::make_shared<const std::string>(console_messages::result_json(request.request_id, error)));
}

}  // namespace lantern
