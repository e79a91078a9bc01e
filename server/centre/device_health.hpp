#pragma once
// What supervision knows of one device now: when it was last heard from, the battery it
// last reported, and whether it is overdue. Shown on the card beside the device's record.

#include <cstdint>

namespace lantern {

struct device_health {
  bool supervised = false;         // false: no such device, or deactivated
  std::int64_t last_heard_ms = 0;  // 0: never heard from (saved times included)
  int battery_pct = -1;            // -1: no heartbeat with a battery level since the server started
  std::int64_t battery_at_ms = 0;
  bool battery_low = false;     // at or under the low-battery level, not yet recovered
  bool missed_checkin = false;  // silent past its allowance, not yet back
  std::int64_t due_by_ms = 0;   // when it would miss its check-in
};

}  // namespace lantern
