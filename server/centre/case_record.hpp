#pragma once
// A device alarm as the journal stores it, and a case as the desk keeps it: the plain
// structs passed between the gateway, the journal, the desk and the console hub.

#include "centre/alarm_types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lantern {

struct alarm_event {
  std::int64_t event_id = 0;  // assigned by the journal when stored
  std::string device_id;
  std::uint64_t device_seq = 0;
  std::string person_id;
  alarm_type type = alarm_type::pendant;
  std::int64_t occurred_at_ms = 0;  // device clock
  std::int64_t received_at_ms = 0;  // centre clock
  std::string detail;
};

enum class case_state { queued, accepted, escalated, resolved };
std::string_view to_string(case_state state);
std::optional<case_state> parse_case_state(std::string_view text);

struct case_record {
  std::int64_t case_id = 0;
  std::string person_id;
  alarm_type type = alarm_type::pendant;
  priority level = priority::high;
  case_state state = case_state::queued;
  std::int64_t opened_at_ms = 0;
  std::int64_t last_alarm_at_ms = 0;
  std::uint32_t alarm_count = 1;
  bool cancelled_at_unit = false;
  std::string device_id;
  std::string detail;
  std::int64_t first_event_id = 0;
  std::int64_t last_event_id = 0;

  bool is_open() const { return state != case_state::resolved; }
};

}  // namespace lantern
