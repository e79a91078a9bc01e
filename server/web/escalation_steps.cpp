// The hub's side of the server's own steps: escalation, and closing the case of a device
// that checked in again. The chain itself is the desk's (desk/escalation_chain): here
// its steps meet the world. Links issued go into the registry the carer pages open; a
// responder newly notified is handed to the courier once; carer pages get their view after
// every change; and once a second the timeouts that are due are journaled like any other
// step, so a restart finds them on disk and overdue ones fire at once.
#include "web/console_hub.hpp"

#include "centre/calendar.hpp"
#include "desk/escalation_chain.hpp"
#include "web/carer_view.hpp"
#include "web/console_messages.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

namespace lantern {

namespace v1 = lantern::console::v1;

std::future<std::string> console_hub::record_step(case_command step) {
  auto promise = std::make_shared<std::promise<std::string>>();
  auto result = promise->get_future();
  net::post(strand_, [this, step = std::move(step), promise]() mutable {
    console_command request{{}, system_actor, {}, std::move(step), {}};
    request.on_answer = [promise](const std::string& error) { promise->set_value(error); };
    command(std::move(request));
  });
  return result;
}

void console_hub::system_command(case_command step) {
  console_command request{{}, system_actor, {}, std::move(step), {}};
  auto kind = request.command.kind;
  auto case_id = request.command.case_id;
  request.on_answer = [this, kind, case_id](const std::string& error) {
    // "not due" means another step got there first: nothing to report.
    if (!error.empty() && error != "not due")
      log_->warn("escalation step {} on case {} not recorded: {}", to_string(kind), case_id, error);
  };
  command(std::move(request));
}

void console_hub::escalation_changed(const case_record& c) {
  const auto& e = c.escalation;
  auto now = now_ms();
  for (const auto& a : e.attempts) {
    for (const auto& link : a.links)
      links_.add(link.id, {c.case_id, a.number, a.carer_id, link.secret_hash, link.expires_at_ms}, now);
    if (a.state != attempt_state::notified || !c.is_open() || !notify_) continue;
    if (!dispatched_.insert({c.case_id, a.number}).second) continue;
    // Sent once per run. After a restart, only what has no recorded result goes again.
    std::vector<std::string> pending;
    for (const auto& channel : a.channels)
      if (std::none_of(a.deliveries.begin(), a.deliveries.end(),
                       [&](const delivery_result& d) { return d.channel == channel; }))
        pending.push_back(channel);
    if (!a.links.empty() && pending.empty()) continue;
    notify_(c, a, std::move(pending));
  }
  if (!c.is_open()) std::erase_if(dispatched_, [&](const auto& key) { return key.first == c.case_id; });
  std::erase_if(carer_pages_, [&](const carer_page& page) {
    auto live = page.page.lock();
    if (live && page.case_id == c.case_id) {
      v1::ConsoleEvent event;
      *event.mutable_carer() = carer_view(c, page.attempt, records_, now);
      live->deliver(std::make_shared<const std::string>(console_messages::to_json(event)));
    }
    return !live;
  });
}

void console_hub::device_returned(std::string person_id, std::string device_id, std::string note) {
  net::post(strand_, [this, person_id = std::move(person_id), device_id = std::move(device_id),
                      note = std::move(note)]() mutable {
    const auto* c = desk_.open_case_from(person_id, alarm_type::missed_checkin, device_id);
    if (c == nullptr) return;  // an operator closed it already
    case_command closing;
    closing.kind = command_kind::device_returned;
    closing.case_id = c->case_id;
    closing.note = std::move(note);
    system_command(std::move(closing));
  });
}

void console_hub::count_escalation(const case_action& action, escalation_status before, const case_record& c) {
  const auto& command = action.command;
  if (command.kind == command_kind::delivery)
    (command.step.delivered ? metrics_.notifications_sent : metrics_.notifications_failed).Increment();
  else if (command.kind == command_kind::arrival_overdue)
    metrics_.arrivals_overdue.Increment();
  if (before != escalation_status::handed_back && c.escalation.status == escalation_status::handed_back)
    metrics_.escalations_handed_back.Increment();
}

void console_hub::subscribe_carer(std::weak_ptr<console_subscriber> page, carer_link_entry link) {
  net::post(strand_, [this, page = std::move(page), link = std::move(link)] {
    auto live = page.lock();
    if (!live) return;
    v1::ConsoleEvent event;
    if (const auto* c = desk_.find(link.case_id))
      *event.mutable_carer() = carer_view(*c, link.attempt, records_, now_ms());
    else
      event.mutable_error()->set_message("This alarm is closed. Thank you.");
    live->deliver(std::make_shared<const std::string>(console_messages::to_json(event)));
    carer_pages_.push_back({page, link.case_id, link.attempt});
  });
}

void console_hub::run_due_steps(std::int64_t now) {
  for (const auto* c : desk_.queue()) {
    if (waiting_.contains(c->case_id)) continue;  // a step is in flight: look again next second
    for (auto& step : due_steps(*c, now)) system_command(std::move(step));
    // A plan rule may escalate a case nobody has accepted in time.
    if (c->state != case_state::queued || !c->owner.empty() || c->escalation.status != escalation_status::none)
      continue;
    const auto* p = person_of(*c, records_);
    const auto* rule = p ? p->plan.rule_for(c->type) : nullptr;
    if (rule == nullptr || !rule->escalate_after_s || now < c->opened_at_ms + *rule->escalate_after_s * 1000LL)
      continue;
    case_command escalate;
    escalate.kind = command_kind::auto_escalate;
    escalate.case_id = c->case_id;
    escalate.note = "no operator accepted within " + std::to_string(*rule->escalate_after_s) + " s (plan rule)";
    system_command(std::move(escalate));
  }
}

}  // namespace lantern
