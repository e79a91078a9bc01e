#include "store/database.hpp"

#include "store/audit_chain.hpp"
#include "store/wal_write_gathering.hpp"

#include <sqlite3.h>

namespace lantern {

bool configure_sqlite_for_the_server() { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK; }

std::unique_ptr<SQLite::Database> open_database(const std::string& path, wal_writes writes, connection_use use) {
  int flags = SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE;
  if (use == connection_use::one_thread) flags |= SQLITE_OPEN_NOMUTEX;
  auto db = std::make_unique<SQLite::Database>(path, flags, 0,
                                               writes == wal_writes::gathered ? wal_write_gathering_vfs() : "");
  // Small pages: each commit rewrites every index page it touches, and alarms from many
  // devices touch many. 1 KiB pages halve the WAL written per alarm (takes effect on a new file).
  db->exec("PRAGMA page_size=" + std::to_string(page_size_bytes));
  db->exec("PRAGMA journal_mode=WAL");
  // Also what makes gathered WAL writes safe: every commit syncs, and so writes, its frames
  // before other connections are told of them.
  db->exec("PRAGMA synchronous=FULL");
  db->exec("PRAGMA foreign_keys=ON");
  // 64 MiB of page cache for reads and the login sessions' few writes (the journal's writer,
  // which commits hundreds of times a second, keeps less: journal::writer_cache_kib).
  db->exec("PRAGMA cache_size=-65536");
  // After a checkpoint lets the WAL start afresh, its file is cut back to this.
  db->exec("PRAGMA journal_size_limit=" + std::to_string(wal_file_limit_bytes));
  // Readers and the writer share the file; a brief lock is waited out, not failed.
  db->setBusyTimeout(5000);
  register_audit_chain(*db);  // the events table's trigger calls it on every insert
  return db;
}

int schema_version(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

}  // namespace lantern
