#include "desk/availability.hpp"

#include <date/tz.h>

#include <algorithm>
#include <array>

namespace lantern {
namespace {

constexpr std::array<std::string_view, 7> day_names{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

int minutes_of(const std::string& clock) {
  if (clock.size() != 5) return 0;
  return ((clock[0] - '0') * 10 + (clock[1] - '0')) * 60 + (clock[3] - '0') * 10 + (clock[4] - '0');
}

bool has_day(const availability_window& w, unsigned weekday) {
  return std::find(w.days.begin(), w.days.end(), day_names[weekday % 7]) != w.days.end();
}

}  // namespace

bool is_available(const carer& c, std::int64_t at_ms) {
  if (c.availability.empty()) return true;
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(c.time_zone.empty() ? "UTC" : c.time_zone);
  } catch (const std::runtime_error&) {
    zone = date::locate_zone("UTC");  // names are checked on import; a removed zone falls back
  }
  auto local = zone->to_local(date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(at_ms)));
  auto day = date::floor<date::days>(local);
  unsigned weekday = date::weekday(day).c_encoding();
  auto minute = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(local - day).count());
  for (const auto& w : c.availability) {
    int from = minutes_of(w.from), to = minutes_of(w.to);
    if (from < to) {
      if (has_day(w, weekday) && minute >= from && minute < to) return true;
    } else if ((has_day(w, weekday) && minute >= from) || (has_day(w, weekday + 6) && minute < to)) {
      return true;  // wraps midnight: the tail belongs to the day before
    }
  }
  return false;
}

std::string describe_availability(const carer& c) {
  std::string out;
  for (const auto& w : c.availability) {
    if (!out.empty()) out += "; ";
    for (std::size_t i = 0; i < w.days.size(); ++i) out += (i ? "," : "") + w.days[i];
    out += " " + w.from + "-" + w.to;
  }
  return out + " (" + (c.time_zone.empty() ? "UTC" : c.time_zone) + ")";
}

}  // namespace lantern
