#pragma once
// What the admin API reads, on a read-only connection of its own: pages of records with a
// search, one record with what goes with it (a person's outcomes, a device's last contact),
// a person's whole record for a subject access request, and the centre as a centre file.

#include "centre/centre.hpp"
#include "core/record_reader.hpp"

#include <SQLiteCpp/Database.h>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace lantern {

// {"items": [...], "total": N, "page": P, "per_page": K}, ordered by name, then id.
boost::json::object list_records(SQLite::Database& db, record_kind kind, const record_query& query);

// The record as the API shows it, with version and active flag, and: for a person, the last
// review and the counts of their cases by type and outcome since `outcomes_since_ms`; for
// a device, when it was last heard from. Nothing when there is no such record.
std::optional<boost::json::object> read_record(SQLite::Database& db, record_kind kind, const std::string& id,
                                               std::int64_t outcomes_since_ms);

// Everything held about one person, for a subject access request: the record, every
// version of the plan, devices, every case with its timeline, and every change made to
// their records (with who made it). Nothing when there is no such person.
std::optional<boost::json::object> subject_access_record(SQLite::Database& db, const std::string& person_id);

}  // namespace lantern
