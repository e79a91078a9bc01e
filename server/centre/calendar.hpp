#pragma once
// Calendar arithmetic on ISO dates ("1941-03-02") and epoch milliseconds, in UTC.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lantern {

std::optional<std::chrono::year_month_day> parse_iso_date(std::string_view text);

// Whole years from `date_of_birth` to the UTC day of `at_ms`; 0 if the date is invalid.
unsigned age_on(std::string_view date_of_birth, std::int64_t at_ms);

// "HH:MM" with 00:00..23:59, or 24:00 when `allow_end_of_day`.
bool is_clock_time(std::string_view text, bool allow_end_of_day);

std::int64_t now_ms();

// The UTC day of `at_ms` as YYYY-MM-DD.
std::string iso_date_of(std::int64_t at_ms);

// "45 s" under two minutes, else "12 min": how long, on a timeline or in a case's detail.
std::string spoken_duration(std::int64_t ms);

}  // namespace lantern
