// The console hub's side of the admin API: a durable change to a record goes into the live
// records, in commit order with the alarms, so the next alarm is worked to the new plan.
#include "web/console_hub.hpp"

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
  const auto& record = std::get<Record>(*now);
  if constexpr (std::is_same_v<Record, device_record>)
    records[id] = std::make_shared<const device_record>(record);
  else
    records[id] = record;
}

}  // namespace

namespace {

// Whether an operator's change ends their logins: what they may see or who they are changed.
bool ends_access(const operator_account* before, const std::shared_ptr<const any_record>& now) {
  if (before == nullptr) return false;
  if (!now) return true;  // deactivated
  const auto& after = std::get<operator_account>(*now);
  return after.password_hash != before->password_hash || after.role != before->role;
}

}  // namespace

void console_hub::apply_record_update(const record_update& update) {
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
        replace<device_record>(records_.devices, update.id, update.now);
        break;
      case record_kind::operator_account:
        replace<operator_account>(records_.operators, update.id, update.now);
        break;
    }
  }
  log_->info("{} {} {}", to_string(update.kind), update.id, update.now ? "changed" : "deactivated");
  if (access_ended && access_ended_) access_ended_(update.id);
  if (update.applied) update.applied();
  if (update.kind == record_kind::device && device_changed_)
    device_changed_(update.id, records_.find_device(update.id));
  if (update.kind != record_kind::person) return;
  // Open cases keep the plan they opened under; their cards now say it has changed.
  for (const auto* c : desk_.queue()) {
    if (c->person_id != update.id) continue;
    ++version_;
    if (!consoles_.empty()) broadcast_update(*c, true);
    send_access(*c);
  }
}

}  // namespace lantern
