#pragma once
// The supervisor's view of the floor, from the desk: queue, waits, who is doing what, and
// how quickly calls are answered against the 60 s and 180 s targets.

#include "console.pb.h"
#include "desk/desk.hpp"

#include <string>

namespace lantern {

// The share of calls answered within 60 s below which the floor view raises its alert.
constexpr double answer_target_share = 0.975;

// Operators the desk has no presence for have no console open: offline.
// `today_from_ms`: the centre's midnight.
lantern::console::v1::FloorView floor_view(const desk& cases, const centre& records, std::int64_t now_ms,
                                           std::int64_t today_from_ms);

// Midnight of the day of `now_ms` in the server's local time zone (TZ), in epoch ms.
std::int64_t local_midnight_ms(std::int64_t now_ms);

}  // namespace lantern
