#include "supervision/device_supervision.hpp"

namespace lantern {

device_supervision::device_supervision(const centre& records, supervision_settings settings)
    : settings_(settings), wheel_(0, 0) {
  devices_.reserve(records.devices.size());
  for (const auto& [id, record] : records.devices) {
    index_.emplace(id, static_cast<std::uint32_t>(devices_.size()));
    devices_.push_back({record});
  }
}

std::int64_t device_supervision::allowance_ms(const device_state& d) const {
  return static_cast<std::int64_t>(d.record->heartbeat_interval_s * 1000.0 * settings_.grace_multiplier);
}

void device_supervision::start(std::int64_t now_ms, const std::vector<std::pair<std::string, std::int64_t>>& saved) {
  for (const auto& [id, at_ms] : saved)
    if (auto it = index_.find(id); it != index_.end()) devices_[it->second].last_seen_ms = at_ms;
  wheel_ = deadline_wheel(static_cast<std::uint32_t>(devices_.size()), now_ms);
  for (std::uint32_t i = 0; i < devices_.size(); ++i) wheel_.schedule(i, now_ms + allowance_ms(devices_[i]));
}

void device_supervision::heard(const std::string& device_id, std::int64_t now_ms, int battery_pct,
                               std::vector<supervision_event>& out) {
  auto it = index_.find(device_id);
  if (it == index_.end()) return;
  auto& d = devices_[it->second];
  if (!d.record) return;
  if (d.missed) {
    d.missed = false;
    out.push_back({supervision_event::kind::returned, d.record, now_ms, d.last_seen_ms, battery_pct});
  }
  d.last_seen_ms = now_ms;
  if (!d.heard_since_saved) {
    d.heard_since_saved = true;
    heard_.push_back(it->second);
  }
  wheel_.schedule(it->second, now_ms + allowance_ms(d));
  if (battery_pct < 0) return;
  d.battery_pct = static_cast<std::int8_t>(std::min(battery_pct, 100));
  d.battery_at_ms = now_ms;
  if (!d.battery_low && battery_pct <= settings_.low_battery_pct) {
    d.battery_low = true;
    out.push_back({supervision_event::kind::low_battery, d.record, now_ms, d.last_seen_ms, battery_pct});
  } else if (d.battery_low && battery_pct > settings_.battery_recovered_pct) {
    d.battery_low = false;
  }
}

void device_supervision::expire(std::int64_t now_ms, std::vector<supervision_event>& out) {
  wheel_.advance(now_ms, [&](std::uint32_t i) {
    auto& d = devices_[i];
    // Reported once; the device is watched again from its return.
    if (d.missed || !d.record) return;
    d.missed = true;
    out.push_back({supervision_event::kind::missed_checkin, d.record, now_ms, d.last_seen_ms, -1});
  });
}

void device_supervision::not_stored(const supervision_event& event, std::int64_t now_ms) {
  auto it = index_.find(event.device->id);
  if (it == index_.end()) return;
  auto& d = devices_[it->second];
  if (event.what == supervision_event::kind::low_battery) {
    d.battery_low = false;
  } else if (event.what == supervision_event::kind::missed_checkin && d.missed) {
    d.missed = false;
    wheel_.schedule(it->second, now_ms);
  }
}

void device_supervision::device_changed(const std::string& device_id, std::shared_ptr<const device_record> record,
                                        std::int64_t now_ms) {
  auto it = index_.find(device_id);
  if (it == index_.end()) {
    if (!record) return;
    it = index_.emplace(device_id, static_cast<std::uint32_t>(devices_.size())).first;
    devices_.push_back({});
    wheel_.grow(static_cast<std::uint32_t>(devices_.size()));
  }
  auto& d = devices_[it->second];
  d.record = std::move(record);
  d.missed = false;
  if (d.record)
    wheel_.schedule(it->second, now_ms + allowance_ms(d));
  else
    wheel_.remove(it->second);
}

std::vector<std::pair<std::string, std::int64_t>> device_supervision::take_heard() {
  std::vector<std::pair<std::string, std::int64_t>> out;
  out.reserve(heard_.size());
  for (auto i : heard_) {
    devices_[i].heard_since_saved = false;
    if (devices_[i].record) out.emplace_back(devices_[i].record->id, devices_[i].last_seen_ms);
  }
  heard_.clear();
  return out;
}

bool device_supervision::missed(const std::string& device_id) const {
  auto it = index_.find(device_id);
  return it != index_.end() && devices_[it->second].missed;
}

std::int64_t device_supervision::deadline_of(const std::string& device_id) const {
  auto it = index_.find(device_id);
  return it == index_.end() || !wheel_.scheduled(it->second) ? 0 : wheel_.due(it->second);
}

device_health device_supervision::health_of(const std::string& device_id) const {
  auto it = index_.find(device_id);
  if (it == index_.end() || !devices_[it->second].record) return {};
  const auto& d = devices_[it->second];
  return {true, d.last_seen_ms, d.battery_pct, d.battery_at_ms, d.battery_low, d.missed, deadline_of(device_id)};
}

}  // namespace lantern
