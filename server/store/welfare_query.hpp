#pragma once
// The welfare-check list after an outage: every person with alarms or missed check-ins in a
// time window, read from the append-only events table.

#include "core/record_reader.hpp"

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lantern {

// Newest activity first.
std::vector<welfare_row> welfare_list(SQLite::Database& db, std::int64_t from_ms, std::int64_t to_ms);

}  // namespace lantern
