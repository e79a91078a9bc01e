#pragma once
// Alarm types and priorities from DOMAIN.md, kept as data in one place.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lantern {

enum class alarm_type : std::uint8_t {
  smoke,
  heat,
  co,
  flood,
  fall,
  epilepsy,
  pendant,
  pull_cord,
  no_activity,
  bed_exit,
  chair_exit,
  door,
  temperature,
  low_battery,
  mains_fail,
  mains_restore,
  tamper,
  missed_checkin,
  cancel,
  test,
  // From alarm units over SIA DC-09 (Contact ID 100, 120, 151, 350; SIA MA, PA, GA, YC).
  medical,
  panic,
  gas,
  comms_fault,
  unit_event,  // an alarm unit's report Lantern's table has no type for: shown with its raw code
  restore,     // an alarm unit says a condition cleared: on the open case's timeline, never a case
};

// How many alarm types there are: arrays indexed by type are this long.
inline constexpr std::size_t alarm_type_count = static_cast<std::size_t>(alarm_type::restore) + 1;

// Ordered from most to least urgent, so a smaller value sorts first in the queue.
enum class priority : std::uint8_t { critical, high, normal, low };

std::string_view to_string(alarm_type type);
// "pull cord", "missed checkin": the type in words, for messages to people outside the centre.
std::string alarm_label(alarm_type type);
std::string_view to_string(priority level);
std::optional<alarm_type> parse_alarm_type(std::string_view text);
std::optional<priority> parse_priority(std::string_view text);
std::span<const alarm_type> all_alarm_types();

// The priority an alarm type has when the person's plan says nothing else.
priority default_priority(alarm_type type);

// Life-safety types may be raised by a plan rule but never lowered below high.
bool is_life_safety(alarm_type type);

// `cancel`, `test` and `restore` are stored but never open a case on their own.
bool opens_case(alarm_type type);

// Whether a device may send this type (`missed_checkin` is made by the server).
bool device_may_send(alarm_type type);

// The priority after applying a plan rule's override, respecting the life-safety floor.
priority effective_priority(alarm_type type, std::optional<priority> override_level);

}  // namespace lantern
