#pragma once
// Opens the SQLite database with Lantern's durability settings and brings its schema up to
// date. Every connection to the file goes through here.

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <memory>
#include <string>

namespace lantern {

// How a connection writes the WAL: straight through, or a commit's frames gathered into one
// write before its sync (store/wal_write_gathering; the journal's writer, which commits
// hundreds of times a second).
enum class wal_writes { direct, gathered };

// The length the WAL file is cut back to when it starts afresh, and the room the journal
// writes out for it at its start (store/wal_room): more than the journal lets it grow to
// (journal::default_wal_frames_to_restart 1 KiB pages with their headers, 68.7 MB).
constexpr std::int64_t wal_file_limit_bytes = std::int64_t{80} << 20;

// The database's page size (set on a new file), and the WAL frames a length of WAL holds:
// a 32-byte file header, then each page with a 24-byte frame header.
constexpr int page_size_bytes = 1024;
constexpr std::int64_t wal_bytes_for(std::int64_t frames) { return 32 + frames * (page_size_bytes + 24); }
constexpr std::int64_t wal_frames_in(std::int64_t bytes) { return (bytes - 32) / (page_size_bytes + 24); }

// Which threads use a connection. SQLite (built serialized) takes the connection's mutex in
// every call, a dozen for each row written; a connection only its own thread uses, like the
// journal's writer, skips them (SQLite's multi-thread mode: never two threads at once).
enum class connection_use { any_thread, one_thread };

// WAL, synchronous=FULL (a commit is on disk before it returns), foreign keys on.
std::unique_ptr<SQLite::Database> open_database(const std::string& path, wal_writes writes = wal_writes::direct,
                                                connection_use use = connection_use::any_thread);

// Once, before the process opens any database: SQLite stops counting its allocations under a
// process-wide mutex (for sqlite3_memory_used, which Lantern never reads). False when SQLite
// was already in use, and then nothing changes.
bool configure_sqlite_for_the_server();

// Applies every migration newer than the file's `user_version`, each in its own
// transaction. Refuses a file written by a newer Lantern. `up_to` (tests of a migration
// itself): stop at that version.
void migrate(SQLite::Database& db, int up_to = 0);

int schema_version(SQLite::Database& db);
int latest_schema_version();
// The first schema whose events form the audit chain (--verify-audit needs no newer one).
int audit_chain_schema_version();

}  // namespace lantern
