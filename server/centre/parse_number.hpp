#pragma once
// Reads a whole string as one number within [min, max]: for command lines and dates.

#include <charconv>
#include <string_view>

namespace lantern {

template <typename Number>
bool parse_number(std::string_view text, Number& out, Number min, Number max) {
  Number value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max) return false;
  out = value;
  return true;
}

}  // namespace lantern
