#pragma once
// One server per database. A serving or importing lantern-server holds an exclusive flock
// on "<database>.lock" for its whole life, so a second one on the same file is refused
// before it touches the database. The lock is on a file of its own: SQLite's locks on the
// database are POSIX locks, which a process loses when it closes *any* descriptor on that
// file, so nothing but SQLite may ever open the database's own files.
//
// Read-only tools (sqlite3, an online backup) open the database through SQLite and take
// no lock here.

#include <string>

namespace lantern {

class database_lock {
 public:
  // Throws std::runtime_error saying who holds it when another process does.
  explicit database_lock(const std::string& db_path);
  ~database_lock();
  database_lock(const database_lock&) = delete;
  database_lock& operator=(const database_lock&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace lantern
