// Where a durable event is applied: the journal hands over each commit's alarms, case
// actions and record changes in commit order, and here they reach the desk and the live
// records, on the core's strand, then go to the subscribers. A restart replays the same
// events through the same code.
#include "core/desk_core.hpp"

#include <mutex>

namespace lantern {
namespace {

// Puts `now` in place of the record `id` of `records`, or takes it out when it is nothing.
template <typename Record, typename Map>
void replace(Map& records, const std::string& id, const std::shared_ptr<const any_record>& now) {
  if (!now) {
    records.erase(id);
    return;
  }
  records[id] = std::get<Record>(*now);
}

// Whether an operator's change ends their logins: what they may see or who they are changed.
bool ends_access(const operator_account* before, const std::shared_ptr<const any_record>& now) {
  if (before == nullptr) return false;
  if (!now) return true;  // deactivated
  const auto& after = std::get<operator_account>(*now);
  return after.password_hash != before->password_hash || after.role != before->role;
}

}  // namespace

void desk_core::apply(const std::vector<desk_event>& events) {
  for (const auto& event : events) {
    if (const auto* alarm = std::get_if<alarm_event>(&event))
      apply_alarm(*alarm);
    else if (const auto* action = std::get_if<case_action>(&event))
      apply_action(*action);
    else
      apply_record_update(std::get<record_update>(event));
  }
  schedule_projection_save();
  update_gauges();
}

void desk_core::publish(const case_record& c, const case_change& change) {
  if (replaying_) return;
  for (auto* s : subscribers_) s->case_changed(c, change);
}

void desk_core::apply_alarm(const alarm_event& alarm) {
  unsaved_watermark_ = alarm.event_id;
  const auto* c = desk_.apply(alarm);
  if (c == nullptr) return;  // a test, or a cancel with nothing to mark
  unsaved_.insert(c->case_id);
  bool opened = c->first_event_id == alarm.event_id;
  bool by_hand = opened && !alarm.opened_by.empty();
  publish(*c, {.opened = opened, .opened_by_hand = by_hand});
  if (by_hand) follow_work("", *c);
}

void desk_core::apply_action(const case_action& action) {
  unsaved_watermark_ = action.event_id;
  const auto* before = desk_.find(action.command.case_id);
  auto escalation_before = before ? before->escalation.status : escalation_status::none;
  auto owner_before = before ? before->owner : std::string();
  const auto* c = desk_.execute(action);
  if (c == nullptr) {
    // Only a replay of an event this version's rules refuse gets here; it changes nothing.
    log_->warn("case action {} on case {} by '{}' no longer applies; ignored", to_string(action.command.kind),
               action.command.case_id, action.actor);
    command_done(action.request_token,
                 refusal{refusal_code::changed_meanwhile,
                         "refused after all: the case changed while this was being stored; look at it again"});
    return;
  }
  unsaved_.insert(c->case_id);
  publish(*c, {.action = &action, .escalation_before = escalation_before});
  follow_work(owner_before, *c);
  command_done(action.request_token, std::nullopt);
}

void desk_core::apply_record_update(const record_update& update) {
  bool access_ended = false;
  if (update.kind == record_kind::operator_account) {
    auto it = records_.operators.find(update.id);
    access_ended = ends_access(it == records_.operators.end() ? nullptr : &it->second, update.now);
  }
  {
    std::unique_lock lock(records_.lock.get());
    switch (update.kind) {
      case record_kind::person:
        replace<person>(records_.persons, update.id, update.now);
        break;
      case record_kind::carer:
        replace<carer>(records_.carers, update.id, update.now);
        break;
      case record_kind::device:
        records_.put_device(update.id, update.now
                                           ? std::make_shared<const device_record>(std::get<device_record>(*update.now))
                                           : nullptr);
        break;
      case record_kind::operator_account:
        replace<operator_account>(records_.operators, update.id, update.now);
        break;
      case record_kind::settings:
        if (update.now) {
          records_.settings = std::get<centre_settings>(*update.now);
          records_.settings_given = true;
        }
        break;
    }
  }
  log_->info("{} {} {}", to_string(update.kind), update.id, update.now ? "changed" : "deactivated");
  for (auto* s : subscribers_) {
    if (access_ended) s->access_ended(update.id);
    s->record_changed(update);
  }
  if (update.kind != record_kind::person) return;
  // Open cases keep the plan they opened under; their cards now say what has changed.
  desk_.person_changed(update.id);
  for (const auto* c : desk_.queue())
    if (c->person_id == update.id) publish(*c, {.plan_changed = true});
}

}  // namespace lantern
