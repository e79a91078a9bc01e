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

bool is_hex(std::string_view text, std::size_t min_length, std::size_t max_length) {
  return text.size() >= min_length && text.size() <= max_length &&
         text.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

std::string dc09_key_problem(std::string_view text, bool ascii) {
  if (ascii) {
    if (text.size() == 16 || text.size() == 24 || text.size() == 32) return {};
    return "must be 16, 24 or 32 characters (AES-128, -192 or -256)";
  }
  if (is_hex(text, 32, 64) && text.size() % 16 == 0) return {};
  return "must be 32, 48 or 64 hex digits (AES-128, -192 or -256)";
}

}  // namespace lantern
