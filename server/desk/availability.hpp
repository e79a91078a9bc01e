#pragma once
// Whether a carer is on call at a moment, by their availability windows in their own IANA
// time zone: a window of "08:00" to "20:00" means 08:00 to 20:00 on the carer's wall clock,
// through both daylight-saving changes.

#include "centre/centre.hpp"

#include <cstdint>
#include <string>

namespace lantern {

// No windows: always available. A window whose `to` is before its `from` runs past
// midnight into the next day ("mon 22:00-06:00" covers Tuesday until 06:00).
bool is_available(const carer& c, std::int64_t at_ms);

// When `is_available` next changes its answer after `at_ms`; 0: never within a week, or
// always available. So a card can say "not until 18:00" and know when it is out of date.
std::int64_t next_availability_change(const carer& c, std::int64_t at_ms);

// "Mon–Fri 18:00–08:00, Europe/London": the calling hours in words.
std::string describe_availability(const carer& c);

}  // namespace lantern
