#pragma once
// The shapes of a record's fields: ids, language tags, phone numbers, time zones.

#include <string_view>

namespace lantern {

bool is_record_id(std::string_view text);
bool is_language_tag(std::string_view text);
bool is_phone_number(std::string_view text);
bool is_time_zone(std::string_view text);

}  // namespace lantern
