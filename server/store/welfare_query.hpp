#pragma once
// The welfare-check list after an outage: every person with alarms or missed check-ins in a
// time window, read from the append-only events table.

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lantern {

struct welfare_row {
  std::string person_id;
  std::int64_t alarms = 0;  // every alarm stored in the window, missed check-ins included
  std::int64_t missed_checkins = 0;
  std::int64_t last_at_ms = 0;
  std::map<std::string, std::int64_t> by_type;  // alarm type -> count
};

// Newest activity first.
std::vector<welfare_row> welfare_list(SQLite::Database& db, std::int64_t from_ms, std::int64_t to_ms);

}  // namespace lantern
