#include "centre/field_formats.hpp"

#include <filesystem>
#include <regex>

namespace lantern {

bool is_record_id(std::string_view text) {
  static const std::regex pattern("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  return std::regex_match(text.begin(), text.end(), pattern);
}

bool is_language_tag(std::string_view text) {
  static const std::regex pattern("[a-z]{2,3}(-[A-Za-z0-9]{1,8})*");
  return std::regex_match(text.begin(), text.end(), pattern);
}

bool is_phone_number(std::string_view text) {
  static const std::regex pattern("\\+[1-9][0-9]{6,14}");
  return std::regex_match(text.begin(), text.end(), pattern);
}

bool is_time_zone(std::string_view text) {
  static const std::regex pattern("[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}");
  if (!std::regex_match(text.begin(), text.end(), pattern)) return false;
  // The system's tz database (Debian's tzdata) is the list of valid names.
  std::error_code ec;
  return std::filesystem::is_regular_file(std::filesystem::path("/usr/share/zoneinfo") / text, ec);
}

}  // namespace lantern
