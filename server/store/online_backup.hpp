#pragma once
// Backups of a Lantern database that a server may be serving, through SQLite's online
// backup API, and putting one back. The copy is read in one read transaction of the WAL:
// the journal writer goes on committing (a reader never blocks it), so acks never wait,
// and the copy is the database as of one commit.

#include <cstdint>
#include <string>

namespace lantern {

struct backup_summary {
  std::int64_t bytes = 0;
  std::int64_t events = 0;         // rows in the events table
  std::int64_t last_event_id = 0;  // the newest event in the copy
  int schema_version = 0;
  double seconds = 0;
};

// Copies `db_path` to `to` (a new file: an existing one is never overwritten), checks the
// copy's integrity, syncs it and only then gives it its name, so a file at `to` is always
// a whole backup. Throws std::runtime_error saying why.
backup_summary backup_database(const std::string& db_path, const std::string& to);

// Checks `backup` (integrity, a Lantern schema this server knows) and puts it in place of
// `db_path`, keeping the database it replaces (if any) as `kept_as`. Refused, with nothing
// changed, while a server holds `db_path` (its database_lock). Throws std::runtime_error.
backup_summary restore_database(const std::string& backup, const std::string& db_path, const std::string& kept_as);

}  // namespace lantern
