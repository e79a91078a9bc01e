#pragma once
// The shapes of a record's fields: ids, language tags, phone numbers, time zones.

#include <cstddef>
#include <string>
#include <string_view>

namespace lantern {

bool is_record_id(std::string_view text);
bool is_language_tag(std::string_view text);
bool is_phone_number(std::string_view text);
bool is_time_zone(std::string_view text);
bool is_hex(std::string_view text, std::size_t min_length, std::size_t max_length);
// Why `text` is not a DC-09 AES key, or "": the standard's hex form (32, 48 or 64 hex
// digits) or, `ascii`, the raw characters as Ajax and Home Assistant users type them.
std::string dc09_key_problem(std::string_view text, bool ascii);

}  // namespace lantern
