#include "store/online_backup.hpp"

#include "store/database.hpp"
#include "store/database_lock.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

namespace lantern {
namespace {

namespace fs = std::filesystem;

void sync_path(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot sync " + path.string());
  }
  ::close(fd);
}

// What a finished copy holds, after SQLite's own integrity check.
backup_summary check_copy(const std::string& path) {
  SQLite::Database copy(path, SQLite::OPEN_READONLY);
  auto verdict = copy.execAndGet("PRAGMA integrity_check").getString();
  if (verdict != "ok") throw std::runtime_error(path + " fails SQLite's integrity check: " + verdict);
  backup_summary summary;
  summary.schema_version = schema_version(copy);
  if (!copy.tableExists("events")) throw std::runtime_error(path + " is not a Lantern database (no events table)");
  summary.events = copy.execAndGet("SELECT count(*) FROM events").getInt64();
  summary.last_event_id = copy.execAndGet("SELECT coalesce(max(id), 0) FROM events").getInt64();
  return summary;
}

// `from` copied into a new file `to` in one step (one read transaction), as one file
// without a WAL beside it, synced and checked; named `to` only when whole.
backup_summary copy_database(const std::string& from, const std::string& to) {
  auto started = std::chrono::steady_clock::now();
  if (fs::exists(to)) throw std::runtime_error(to + " exists already: a backup never overwrites a file");
  fs::path partial = to + ".partial";
  fs::remove(partial);
  {
    SQLite::Database source(from, SQLite::OPEN_READONLY);
    source.setBusyTimeout(5000);
    SQLite::Database copy(partial.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    SQLite::Backup backup(copy, source);
    // A busy source (the WAL being recovered, say) is waited out, a little at a time.
    for (int tries = 0;; ++tries) {
      int rc = backup.executeStep(-1);
      if (rc == SQLITE_DONE) break;
      if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || tries == 100)
        throw std::runtime_error("the copy of " + from + " stopped: " + sqlite3_errstr(rc));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  {
    SQLite::Database copy(partial.string(), SQLite::OPEN_READWRITE);
    copy.exec("PRAGMA journal_mode=DELETE");  // one self-contained file; the server turns WAL back on
  }
  backup_summary summary;
  try {
    summary = check_copy(partial.string());
    sync_path(partial);
    fs::rename(partial, to);
    sync_path(fs::absolute(to).parent_path());
  } catch (...) {
    fs::remove(partial);
    throw;
  }
  summary.bytes = static_cast<std::int64_t>(fs::file_size(to));
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace

backup_summary backup_database(const std::string& db_path, const std::string& to) {
  if (!fs::is_regular_file(db_path)) throw std::runtime_error("no database at " + db_path);
  if (fs::exists(to) && fs::equivalent(db_path, to)) throw std::runtime_error("a backup cannot be its own database");
  return copy_database(db_path, to);
}

backup_summary restore_database(const std::string& backup, const std::string& db_path, const std::string& kept_as) {
  if (!fs::is_regular_file(backup)) throw std::runtime_error("no backup at " + backup);
  auto found = check_copy(backup);
  if (found.schema_version > latest_schema_version())
    throw std::runtime_error(backup + " is at schema " + std::to_string(found.schema_version) +
                             ", newer than this lantern-server knows (" + std::to_string(latest_schema_version()) +
                             "): restore it with the version that made it");
  database_lock no_server(db_path);  // throws, naming who holds it, while a server runs
  if (fs::exists(db_path)) copy_database(db_path, kept_as);
  fs::path restoring = db_path + ".restoring";
  fs::remove(restoring);
  auto restored = copy_database(backup, restoring.string());
  // The replaced database's WAL must not be applied to the restored file.
  fs::remove(db_path + "-wal");
  fs::remove(db_path + "-shm");
  fs::rename(restoring, db_path);
  sync_path(fs::absolute(db_path).parent_path());
  return restored;
}

}  // namespace lantern
