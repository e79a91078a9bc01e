#pragma once
// Where the core reads the time: the wall clock in the server, a hand-moved one in tests.

#include "centre/calendar.hpp"

#include <cstdint>
#include <functional>

namespace lantern {

// Milliseconds since the epoch.
using wall_clock = std::function<std::int64_t()>;
inline wall_clock system_wall_clock() {
  return [] { return now_ms(); };
}

}  // namespace lantern
