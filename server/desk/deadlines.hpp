#pragma once
// Every open case always has a next deadline on screen. A case's deadlines, in time order:
// the page shows the first one still ahead, or the last one as overdue.

#include "centre/case_record.hpp"
#include "centre/centre.hpp"

#include <string>
#include <vector>

namespace lantern {

struct deadline {
  std::string label;
  std::int64_t at_ms = 0;
};

// TEC Services Association answer targets.
constexpr std::int64_t answer_target_ms = 60'000;
constexpr std::int64_t answer_target_long_ms = 180'000;
// An accepted case that has been neither resolved nor escalated for this long is overdue
// for a look: the person may still be waiting for help.
constexpr std::int64_t follow_up_after_ms = 15 * 60'000;

std::vector<deadline> deadlines_of(const case_record& c, const centre& records);

}  // namespace lantern
