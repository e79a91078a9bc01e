#pragma once
// Saves and loads the centre's records: operators, carers, persons with plans, devices.

#include "centre/centre.hpp"
#include "centre/record_change.hpp"

#include <SQLiteCpp/Database.h>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lantern {

// Inserts or updates every record of `records` by id, in one transaction, and records the
// import in the event journal with `actor`. All or nothing.
void save_centre(SQLite::Database& db, const centre& records, const std::string& actor);

// Every active record.
centre load_centre(SQLite::Database& db);

// When each device was last heard from, as saved (by device id).
std::vector<std::pair<std::string, std::int64_t>> load_last_seen(SQLite::Database& db);

// Inserts or updates one record by id (its version goes up by one on update, and it is
// active again). A person's new version is also kept in plan_versions.
void save_record(SQLite::Database& db, const any_record& record);

std::optional<stored_record> load_record(SQLite::Database& db, record_kind kind, const std::string& id);

}  // namespace lantern
