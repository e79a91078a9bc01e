#include "store/wal_write_gathering.hpp"

#include <sqlite3.h>

#include <new>
#include <vector>

namespace lantern {
namespace {

// At most this much in one write: the platform VFS takes no more than 128 KiB a call (its
// `seekAndWrite` masks the length with 0x1ffff). A commit of a few alarms is some 15 KiB;
// one of hundreds goes out in a few pieces.
constexpr std::size_t most_gathered = 64 << 10;

sqlite3_vfs* platform = nullptr;

struct gathering_file {
  sqlite3_file file;   // first: SQLite sees this
  sqlite3_file* real;  // the platform's file, in the same allocation, after this struct
  std::vector<unsigned char>* held;
  sqlite3_int64 held_at;  // the file offset of held's first byte
};

gathering_file& as_gathering(sqlite3_file* f) { return *reinterpret_cast<gathering_file*>(f); }
sqlite3_file* real(sqlite3_file* f) { return as_gathering(f).real; }

int flush(gathering_file& g) {
  if (g.held->empty()) return SQLITE_OK;
  int rc = g.real->pMethods->xWrite(g.real, g.held->data(), static_cast<int>(g.held->size()), g.held_at);
  // Written or not, these frames are done with: after a failure SQLite writes the
  // transaction again from its own copy.
  g.held->clear();
  return rc;
}
int flush(sqlite3_file* f) { return flush(as_gathering(f)); }

int gathered_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  auto& g = as_gathering(f);
  if (!g.held->empty() && offset != g.held_at + static_cast<sqlite3_int64>(g.held->size()))
    if (int rc = flush(g); rc != SQLITE_OK) return rc;
  if (g.held->size() + static_cast<std::size_t>(amount) > most_gathered) {
    if (int rc = flush(g); rc != SQLITE_OK) return rc;
    if (static_cast<std::size_t>(amount) > most_gathered) return g.real->pMethods->xWrite(g.real, data, amount, offset);
  }
  if (g.held->empty()) g.held_at = offset;
  auto bytes = static_cast<const unsigned char*>(data);
  g.held->insert(g.held->end(), bytes, bytes + amount);
  return SQLITE_OK;
}

int gathered_close(sqlite3_file* f) {
  auto& g = as_gathering(f);
  int flushed = flush(g);
  int closed = g.real->pMethods->xClose(g.real);
  delete g.held;
  g.held = nullptr;
  return flushed != SQLITE_OK ? flushed : closed;
}

// Whatever reads, sizes, syncs or reshapes the file sees every write made before it.
int gathered_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xRead(real(f), out, amount, offset);
}
int gathered_truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xTruncate(real(f), size);
}
int gathered_sync(sqlite3_file* f, int flags) {
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xSync(real(f), flags);
}
int gathered_file_size(sqlite3_file* f, sqlite3_int64* size) {
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xFileSize(real(f), size);
}
int gathered_file_control(sqlite3_file* f, int op, void* arg) {
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xFileControl(real(f), op, arg);
}
int gathered_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xFetch(real(f), offset, amount, out);
}

// The rest is the platform's.
int pass_lock(sqlite3_file* f, int level) { return real(f)->pMethods->xLock(real(f), level); }
int pass_unlock(sqlite3_file* f, int level) { return real(f)->pMethods->xUnlock(real(f), level); }
int pass_check_reserved(sqlite3_file* f, int* out) { return real(f)->pMethods->xCheckReservedLock(real(f), out); }
int pass_sector_size(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int pass_device_characteristics(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }
int pass_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return real(f)->pMethods->xShmMap(real(f), region, size, extend, out);
}
int pass_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
void pass_shm_barrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
int pass_shm_unmap(sqlite3_file* f, int delete_flag) { return real(f)->pMethods->xShmUnmap(real(f), delete_flag); }
int pass_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
  return real(f)->pMethods->xUnfetch(real(f), offset, page);
}

const sqlite3_io_methods gathering_methods = {
    3,
    gathered_close,
    gathered_read,
    gathered_write,
    gathered_truncate,
    gathered_sync,
    gathered_file_size,
    pass_lock,
    pass_unlock,
    pass_check_reserved,
    gathered_file_control,
    pass_sector_size,
    pass_device_characteristics,
    pass_shm_map,
    pass_shm_lock,
    pass_shm_barrier,
    pass_shm_unmap,
    gathered_fetch,
    pass_unfetch,
};

constexpr std::size_t real_offset = (sizeof(gathering_file) + 7) & ~std::size_t{7};

int open_file(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  // The database and its other files are the platform's own, in the room this VFS asked for.
  if ((flags & SQLITE_OPEN_WAL) == 0) return platform->xOpen(platform, name, f, flags, out_flags);
  auto& g = as_gathering(f);
  g.file.pMethods = nullptr;
  g.real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + real_offset);
  g.held = nullptr;
  g.held_at = 0;
  int rc = platform->xOpen(platform, name, g.real, flags, out_flags);
  if (rc != SQLITE_OK) return rc;
  g.held = new (std::nothrow) std::vector<unsigned char>();
  if (g.held == nullptr) {
    g.real->pMethods->xClose(g.real);
    return SQLITE_NOMEM;
  }
  g.file.pMethods = &gathering_methods;
  return SQLITE_OK;
}

int pass_delete(sqlite3_vfs*, const char* name, int sync_dir) { return platform->xDelete(platform, name, sync_dir); }
int pass_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return platform->xAccess(platform, name, flags, out);
}
int pass_full_pathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return platform->xFullPathname(platform, name, size, out);
}
void* pass_dl_open(sqlite3_vfs*, const char* name) { return platform->xDlOpen(platform, name); }
void pass_dl_error(sqlite3_vfs*, int size, char* out) { platform->xDlError(platform, size, out); }
void (*pass_dl_sym(sqlite3_vfs*, void* library, const char* symbol))(void) {
  return platform->xDlSym(platform, library, symbol);
}
void pass_dl_close(sqlite3_vfs*, void* library) { platform->xDlClose(platform, library); }
int pass_randomness(sqlite3_vfs*, int size, char* out) { return platform->xRandomness(platform, size, out); }
int pass_sleep(sqlite3_vfs*, int microseconds) { return platform->xSleep(platform, microseconds); }
int pass_current_time(sqlite3_vfs*, double* out) { return platform->xCurrentTime(platform, out); }
int pass_last_error(sqlite3_vfs*, int size, char* out) { return platform->xGetLastError(platform, size, out); }
int pass_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) { return platform->xCurrentTimeInt64(platform, out); }

// Everything but opening a WAL is handed to the platform's VFS.
sqlite3_vfs make_vfs() {
  platform = sqlite3_vfs_find(nullptr);
  return {.iVersion = 2,
          .szOsFile = static_cast<int>(real_offset) + platform->szOsFile,
          .mxPathname = platform->mxPathname,
          .pNext = nullptr,
          .zName = "lantern-gather-wal",
          .pAppData = nullptr,
          .xOpen = open_file,
          .xDelete = pass_delete,
          .xAccess = pass_access,
          .xFullPathname = pass_full_pathname,
          .xDlOpen = pass_dl_open,
          .xDlError = pass_dl_error,
          .xDlSym = pass_dl_sym,
          .xDlClose = pass_dl_close,
          .xRandomness = pass_randomness,
          .xSleep = pass_sleep,
          .xCurrentTime = pass_current_time,
          .xGetLastError = pass_last_error,
          .xCurrentTimeInt64 = pass_current_time_int64,
          .xSetSystemCall = nullptr,
          .xGetSystemCall = nullptr,
          .xNextSystemCall = nullptr};
}

}  // namespace

const char* wal_write_gathering_vfs() {
  // Function-local statics: made and registered once, whichever thread comes first.
  static sqlite3_vfs vfs = make_vfs();
  [[maybe_unused]] static const int registered = sqlite3_vfs_register(&vfs, 0);
  return vfs.zName;
}

}  // namespace lantern
