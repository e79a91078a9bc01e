#include "escalation/escalation_driver.hpp"

#include "centre/alarm_types.hpp"

#include <algorithm>

namespace lantern {
namespace {

notification notification_for(const case_record& c, const responder_attempt& a, const centre& records,
                              std::vector<std::string> pending) {
  notification n;
  n.case_id = c.case_id;
  n.attempt = a.number;
  if (const auto* carer = records.find_carer(a.carer_id)) n.to = *carer;
  const auto* p = records.find_person(c.person_id);
  n.person_name = p ? p->name : c.person_id;
  n.alarm_label = alarm_label(c.type);
  n.opened_at_ms = c.opened_at_ms;
  n.reply_by_ms = a.reply_by_ms;
  n.channels = std::move(pending);
  return n;
}

}  // namespace

escalation_driver::escalation_driver(const centre& records, carer_links& links, metrics& figures,
                                     std::function<void(notification)> send, wall_clock clock)
    : records_(records), links_(links), metrics_(figures), send_(std::move(send)), clock_(std::move(clock)) {}

void escalation_driver::case_changed(const case_record& c, const case_change& change) {
  // Only a command or a restart moves an escalation; an alarm or a plan change never does.
  if (change.action == nullptr && !change.restored) return;
  if (change.action != nullptr) count(c, change);
  dispatch(c, clock_());
}

void escalation_driver::dispatch(const case_record& c, std::int64_t now) {
  for (const auto& a : c.escalation.attempts) {
    for (const auto& link : a.links)
      links_.add(link.id, {c.case_id, a.number, a.carer_id, link.secret_hash, link.expires_at_ms}, now);
    if (a.state != attempt_state::notified || !c.is_open()) continue;
    if (!dispatched_.insert({c.case_id, a.number}).second) continue;
    // Sent once per run. After a restart, only what has no recorded result goes again.
    std::vector<std::string> pending;
    for (const auto& channel : a.channels)
      if (std::none_of(a.deliveries.begin(), a.deliveries.end(),
                       [&](const delivery_result& d) { return d.channel == channel; }))
        pending.push_back(channel);
    if (!a.links.empty() && pending.empty()) continue;
    send_(notification_for(c, a, records_, std::move(pending)));
  }
  if (!c.is_open()) std::erase_if(dispatched_, [&](const auto& key) { return key.first == c.case_id; });
}

void escalation_driver::count(const case_record& c, const case_change& change) {
  const auto& command = change.action->command;
  if (command.kind == command_kind::delivery)
    (command.step.delivered ? metrics_.notifications_sent : metrics_.notifications_failed).Increment();
  else if (command.kind == command_kind::arrival_overdue)
    metrics_.arrivals_overdue.Increment();
  if (change.escalation_before != escalation_status::handed_back &&
      c.escalation.status == escalation_status::handed_back)
    metrics_.escalations_handed_back.Increment();
}

void escalation_driver::ticked(std::int64_t now_ms, bool minute) {
  if (minute) links_.forget_expired(now_ms);
}

}  // namespace lantern
