#pragma once
// Saves and loads the centre's records: operators, carers, persons with plans, devices.

#include "centre/centre.hpp"

#include <SQLiteCpp/Database.h>

#include <string>

namespace lantern {

// Inserts or updates every record of `records` by id, in one transaction, and records the
// import in the event journal with `actor`. All or nothing.
void save_centre(SQLite::Database& db, const centre& records, const std::string& actor);

// Every active record.
centre load_centre(SQLite::Database& db);

}  // namespace lantern
