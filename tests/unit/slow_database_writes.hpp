#pragma once
// For a test's lifetime, every connection opened without a VFS of its own writes the main
// database file slowly: each write waits a while first. Only checkpoints write that file in
// WAL mode, so this makes a checkpoint pass last as it does for a helper thread starved of
// the core. (Connections open until it ends must be closed before it does.)

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace lantern::testing {

class slow_database_writes {
 public:
  explicit slow_database_writes(std::chrono::milliseconds each) {
    delay_ms() = int(each.count());
    platform() = sqlite3_vfs_find(nullptr);
    vfs_ = *platform();  // the platform's own functions and data, under another name
    vfs_.zName = "lantern-test-slow-database-writes";
    vfs_.pNext = nullptr;
    vfs_.xOpen = open;
    sqlite3_vfs_register(&vfs_, 1);
  }
  ~slow_database_writes() {
    sqlite3_vfs_unregister(&vfs_);
    sqlite3_vfs_register(platform(), 1);
  }
  slow_database_writes(const slow_database_writes&) = delete;
  slow_database_writes& operator=(const slow_database_writes&) = delete;

  // Writes go at full speed from here on (a test's stop need not wait for them).
  void stop_slowing() { delay_ms() = 0; }

 private:
  static std::atomic<int>& delay_ms() {
    static std::atomic<int> ms{0};
    return ms;
  }
  static sqlite3_vfs*& platform() {
    static sqlite3_vfs* p = nullptr;
    return p;
  }
  // The platform's methods for a database file, and the same with a slow write.
  static const sqlite3_io_methods*& original() {
    static const sqlite3_io_methods* m = nullptr;
    return m;
  }
  static sqlite3_io_methods& slowed() {
    static sqlite3_io_methods m{};
    return m;
  }
  static int slow_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms().load()));
    return original()->xWrite(f, data, amount, offset);
  }
  static int open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
    int rc = platform()->xOpen(platform(), name, f, flags, out_flags);
    if (rc != SQLITE_OK || (flags & SQLITE_OPEN_MAIN_DB) == 0 || f->pMethods == nullptr) return rc;
    if (original() == nullptr) {
      original() = f->pMethods;
      slowed() = *f->pMethods;
      slowed().xWrite = slow_write;
    }
    if (f->pMethods == original()) f->pMethods = &slowed();
    return rc;
  }

  sqlite3_vfs vfs_;
};

}  // namespace lantern::testing
