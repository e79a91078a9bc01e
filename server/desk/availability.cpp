#include "desk/availability.hpp"

#include <date/tz.h>

#include <algorithm>
#include <array>

namespace lantern {
namespace {

constexpr std::array<std::string_view, 7> day_names{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
// In the order people read a week, and as they write them.
constexpr std::array<std::string_view, 7> week_order{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::array<std::string_view, 7> week_words{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

int minutes_of(const std::string& clock) {
  if (clock.size() != 5) return 0;
  return ((clock[0] - '0') * 10 + (clock[1] - '0')) * 60 + (clock[3] - '0') * 10 + (clock[4] - '0');
}

bool has_day(const availability_window& w, unsigned weekday) {
  return std::find(w.days.begin(), w.days.end(), day_names[weekday % 7]) != w.days.end();
}

const date::time_zone* zone_of(const carer& c) {
  try {
    return date::locate_zone(c.time_zone.empty() ? "UTC" : c.time_zone);
  } catch (const std::runtime_error&) {
    return date::locate_zone("UTC");  // names are checked on import; a removed zone falls back
  }
}

// "Mon–Fri", "Sat, Sun", "Mon, Wed, Fri": runs of three or more days as a range.
std::string days_in_words(const std::vector<std::string>& days) {
  std::array<bool, 7> on{};
  for (std::size_t i = 0; i < week_order.size(); ++i)
    on[i] = std::find(days.begin(), days.end(), week_order[i]) != days.end();
  std::string out;
  for (std::size_t i = 0; i < on.size();) {
    if (!on[i]) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end + 1 < on.size() && on[end + 1]) ++end;
    if (!out.empty()) out += ", ";
    if (end - i >= 2) {
      out += std::string(week_words[i]) + "\u2013" + std::string(week_words[end]);
    } else {
      for (std::size_t d = i; d <= end; ++d) out += (d > i ? ", " : "") + std::string(week_words[d]);
    }
    i = end + 1;
  }
  return out;
}

}  // namespace

bool is_available(const carer& c, std::int64_t at_ms) {
  if (c.availability.empty()) return true;
  const date::time_zone* zone = zone_of(c);
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

std::int64_t next_availability_change(const carer& c, std::int64_t at_ms) {
  if (c.availability.empty()) return 0;
  const date::time_zone* zone = zone_of(c);
  auto local = zone->to_local(date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(at_ms)));
  auto today = date::floor<date::days>(local);
  // The answer can change only at a window's edge: every edge in the next eight days, in order.
  std::vector<std::int64_t> edges;
  for (int d = 0; d <= 8; ++d)
    for (const auto& w : c.availability)
      for (const auto& clock : {w.from, w.to}) {
        auto wall =
            date::local_time<std::chrono::minutes>(today + date::days(d)) + std::chrono::minutes(minutes_of(clock));
        // choose::latest: a wall time skipped by a clock change counts from when it is reached.
        auto ms = zone->to_sys(wall, date::choose::latest).time_since_epoch();
        auto edge = std::chrono::duration_cast<std::chrono::milliseconds>(ms).count();
        if (edge > at_ms) edges.push_back(edge);
      }
  std::sort(edges.begin(), edges.end());
  bool now = is_available(c, at_ms);
  for (auto edge : edges)
    if (is_available(c, edge) != now) return edge;
  return 0;
}

std::string describe_availability(const carer& c) {
  std::string out;
  for (const auto& w : c.availability) {
    if (!out.empty()) out += "; ";
    out += days_in_words(w.days) + " " + w.from + "\u2013" + w.to;
  }
  return out + ", " + (c.time_zone.empty() ? "UTC" : c.time_zone);
}

}  // namespace lantern
