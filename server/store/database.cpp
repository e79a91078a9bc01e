#include "store/database.hpp"

namespace lantern {

std::unique_ptr<SQLite::Database> open_database(const std::string& path) {
  auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db->exec("PRAGMA journal_mode=WAL");
  db->exec("PRAGMA synchronous=FULL");
  db->exec("PRAGMA foreign_keys=ON");
  // Readers and the writer share the file; a brief lock is waited out, not failed.
  db->setBusyTimeout(5000);
  return db;
}

int schema_version(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

}  // namespace lantern
