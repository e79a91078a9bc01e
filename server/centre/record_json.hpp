#pragma once
// The centre's records as JSON objects, in the field names of the centre file: what the
// admin API answers with, what the audit trail keeps before and after a change, and what
// an export writes. Secrets are left out unless asked for (an export that must import back).

#include "centre/centre.hpp"
#include "centre/record_change.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace lantern {

enum class secret_hashes { omit, include };

boost::json::object to_json(const person& p);  // with the plan, without devices
boost::json::object to_json(const carer& c);
boost::json::object to_json(const device_record& d, secret_hashes hashes = secret_hashes::omit);
boost::json::object to_json(const operator_account& a, secret_hashes hashes = secret_hashes::omit);
// The centre's settings as the admin API shows them (one flat object), and read back as
// stored; `about_centre` is the centre file's "centre" object (name, phone, language, zone).
boost::json::object to_json(const centre_settings& s);
boost::json::object about_centre(const centre_settings& s);
boost::json::object default_instructions_json(const centre_settings& s);
boost::json::array canned_notes_json(const centre_settings& s);
std::optional<centre_settings> settings_from_json(std::string_view text);
// The record as the admin API shows it: its fields, version and active flag; no secrets.
boost::json::object to_json(const stored_record& stored);

// A DC-09 unit's zones as the centre file writes them, and read back (as they were stored).
boost::json::array zones_json(const std::vector<dc09_zone>& zones);
std::vector<dc09_zone> zones_from_json(std::string_view text);

// A person as to_json wrote it, read back without checks (it was checked when stored);
// nothing when the text is not such a record.
std::optional<person> person_from_json(std::string_view text);

}  // namespace lantern
