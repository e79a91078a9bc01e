#pragma once
// The centre file (format "lantern.centre.v1"): operators, carers, and persons with their
// plans and devices, as JSON. Documented field by field in deploy/CENTRE-FILE.md.

#include "centre/centre.hpp"
#include "centre/json_reader.hpp"

#include <string_view>
#include <vector>

namespace lantern {

struct centre_file_result {
  centre records;  // secrets already replaced by their Argon2id hashes
  std::vector<field_error> errors;
  bool ok() const { return errors.empty(); }
};

// Parses and validates a whole file. References (a plan's responders) may point at records
// in the file or in `existing`, the centre already stored. When any error is found,
// `records` must not be used: nothing of the file is to be stored.
centre_file_result parse_centre_file(std::string_view json_text, const centre& existing);

bool is_record_id(std::string_view text);
bool is_language_tag(std::string_view text);
bool is_phone_number(std::string_view text);
bool is_time_zone(std::string_view text);

}  // namespace lantern
