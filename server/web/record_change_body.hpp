#pragma once
// An admin API request's body as the change it asks for: a record to create or update
// (checked by the centre file's rules), or a deactivation or plan review of the version
// the administrator read. Every field that is wrong is named; nothing is stored here.

#include "centre/json_reader.hpp"
#include "centre/record_change.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <variant>
#include <vector>

namespace lantern {

using change_or_errors = std::variant<record_change, std::vector<field_error>>;

// A create (`id` empty) or an update of the record at `id`, whose id field is `key`. Call
// under a shared lock of `records`. A password or token is still in plain text in its
// hash field: the caller hashes it off the I/O threads. Actor and time are the caller's.
change_or_errors change_from_record_body(record_kind kind, const std::string& key, const std::string& id,
                                         boost::json::object body, const centre& records);

// "deactivate" or "review" (a note and the next review's date) of the record at `id`.
change_or_errors change_from_action_body(record_kind kind, const std::string& id, const std::string& action,
                                         boost::json::object body, std::int64_t at_ms);

}  // namespace lantern
