#pragma once
// The desk's cases on disk: what the desk restores at start, and the writes the journal
// makes to keep the projection current.

#include "centre/case_record.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <vector>

namespace lantern {

struct desk_restore_point {
  std::vector<case_record> open_cases;
  std::int64_t next_case_id = 1;
  // Alarms stored after the projection was last saved (a crash in between): the desk
  // applies them again, in order, to reach the state it had.
  std::vector<alarm_event> unapplied_alarms;
};

desk_restore_point load_desk_restore_point(SQLite::Database& db);

// Prepared once, used by the journal writer for every batch.
class case_writer {
 public:
  explicit case_writer(SQLite::Database& db);
  void write(const case_record& c);
  void set_applied_event(std::int64_t event_id);

 private:
  SQLite::Statement upsert_;
  SQLite::Statement applied_;
};

}  // namespace lantern
