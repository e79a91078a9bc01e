#pragma once
// The rules of device supervision, for every device of the centre. A device silent past its
// heartbeat interval × the grace multiplier has missed its check-in (once, until it is heard
// again, which is its return). A heartbeat at or under the low-battery level reports it once,
// and again only after the battery has recovered. At start every device gets one full
// deadline from now, so a restart never raises a storm of false missed check-ins.
// Pure and clock-free; the caller serialises calls (supervision/supervisor does).

#include "centre/centre.hpp"
#include "centre/device_health.hpp"
#include "supervision/deadline_wheel.hpp"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lantern {

struct supervision_settings {
  double grace_multiplier = 3.0;   // silent past interval × this: a missed check-in
  int low_battery_pct = 20;        // a heartbeat at or under this: a low-battery case
  int battery_recovered_pct = 30;  // reported again only after climbing back over this
};

struct supervision_event {
  enum class kind { missed_checkin, returned, low_battery };
  kind what;
  std::shared_ptr<const device_record> device;
  std::int64_t at_ms;
  std::int64_t last_seen_ms;  // 0: not heard from since the server started
  int battery_pct;            // low_battery only
};

class device_supervision {
 public:
  device_supervision(const centre& records, supervision_settings settings);

  // Call once, before anything else. `saved`: the last-seen times stored by an earlier run,
  // shown and used in the words of a missed check-in, never to shorten the first deadline.
  void start(std::int64_t now_ms, const std::vector<std::pair<std::string, std::int64_t>>& saved = {});
  // Heard from the device: a hello, an alarm, or a heartbeat (with `battery_pct`; -1: none).
  void heard(const std::string& device_id, std::int64_t now_ms, int battery_pct, std::vector<supervision_event>& out);
  void expire(std::int64_t now_ms, std::vector<supervision_event>& out);
  // The alarm for `event` could not be stored: it is raised again (a missed check-in at the
  // next expire, a low battery at the next heartbeat).
  void not_stored(const supervision_event& event, std::int64_t now_ms);
  // An administrator added or changed a device (watched from now, with a full allowance),
  // or deactivated it (`record` empty: no longer watched).
  void device_changed(const std::string& device_id, std::shared_ptr<const device_record> record, std::int64_t now_ms);
  // Devices heard from since the last call, with when: persisted in batches.
  std::vector<std::pair<std::string, std::int64_t>> take_heard();

  std::size_t supervised() const { return devices_.size(); }
  bool missed(const std::string& device_id) const;
  std::int64_t deadline_of(const std::string& device_id) const;
  // Its last contact (in this run, or as saved by an earlier one; 0: never), battery and check-in.
  device_health health_of(const std::string& device_id) const;

 private:
  struct device_state {
    std::shared_ptr<const device_record> record;  // nothing: deactivated, no longer supervised
    std::int64_t last_seen_ms = 0;
    bool missed = false;
    bool battery_low = false;
    bool heard_since_saved = false;
    std::int8_t battery_pct = -1;  // the last level reported in this run
    std::int64_t battery_at_ms = 0;
  };
  std::int64_t allowance_ms(const device_state& d) const;

  supervision_settings settings_;
  std::vector<device_state> devices_;
  std::unordered_map<std::string, std::uint32_t> index_;
  deadline_wheel wheel_;
  std::vector<std::uint32_t> heard_;  // indexes with heard_since_saved set
};

}  // namespace lantern
