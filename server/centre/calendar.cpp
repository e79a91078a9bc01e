#include "centre/calendar.hpp"

#include "centre/parse_number.hpp"

#include <cstdio>

namespace lantern {
namespace {

bool read_number(std::string_view text, int& out) { return parse_number(text, out, 0, 9999); }

}  // namespace

std::optional<std::chrono::year_month_day> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (!read_number(text.substr(0, 4), y) || !read_number(text.substr(5, 2), m) || !read_number(text.substr(8, 2), d))
    return std::nullopt;
  std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                   std::chrono::day{unsigned(d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

unsigned age_on(std::string_view date_of_birth, std::int64_t at_ms) {
  auto born = parse_iso_date(date_of_birth);
  if (!born) return 0;
  std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(
      std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(at_ms)))};
  int years = int(today.year()) - int(born->year());
  if (std::chrono::month_day{today.month(), today.day()} < std::chrono::month_day{born->month(), born->day()}) --years;
  return years < 0 ? 0u : unsigned(years);
}

bool is_clock_time(std::string_view text, bool allow_end_of_day) {
  int h = 0, m = 0;
  if (text.size() != 5 || text[2] != ':' || !read_number(text.substr(0, 2), h) || !read_number(text.substr(3, 2), m))
    return false;
  if (allow_end_of_day && h == 24 && m == 0) return true;
  return h >= 0 && h < 24 && m >= 0 && m < 60;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string spoken_duration(std::int64_t ms) {
  return ms < 120'000 ? std::to_string(ms / 1000) + " s" : std::to_string(ms / 60'000) + " min";
}

std::string iso_date_of(std::int64_t at_ms) {
  std::chrono::year_month_day d{std::chrono::floor<std::chrono::days>(
      std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(at_ms)))};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(d.year()), unsigned(d.month()), unsigned(d.day()));
  return buf;
}

}  // namespace lantern
