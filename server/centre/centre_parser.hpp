#pragma once
// Reads a centre file (format "lantern.centre.v1") or one record of the admin API, and
// checks it by the same rules. Documented field by field in deploy/CENTRE-FILE.md.

#include "centre/centre.hpp"
#include "centre/json_reader.hpp"

#include <boost/json/value.hpp>

#include <string_view>
#include <vector>

namespace lantern {

inline constexpr std::string_view centre_file_format = "lantern.centre.v1";

struct centre_file_result {
  centre records;  // secrets already replaced by their Argon2id hashes
  std::vector<field_error> errors;
  bool ok() const { return errors.empty(); }
};

// Parses and validates a whole file. References (a plan's responders) may point at records
// in the file or in `existing`, the centre already stored. When any error is found,
// `records` must not be used: nothing of the file is to be stored.
centre_file_result parse_centre_file(std::string_view json_text, const centre& existing);

// One record as the admin API takes it, checked by the same rules as in a centre file. A
// person comes without devices (a device names its `person_id`, which must be in
// `existing`, as must a plan's responders). A password or token stays in plain text in the
// hash field, for the caller to hash off the I/O threads; on an update (`updating`) it may
// be left out, and the field is then empty: keep the stored hash.
struct record_body {
  any_record record;
  std::vector<field_error> errors;
  bool ok() const { return errors.empty(); }
};
record_body parse_record_body(record_kind kind, const boost::json::value& body, const centre& existing, bool updating);

}  // namespace lantern
