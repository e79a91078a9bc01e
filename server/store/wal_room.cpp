#include "store/wal_room.hpp"

#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <algorithm>
#include <vector>

namespace lantern {

std::string reserve_wal_room(SQLite::Database& db, std::int64_t bytes) {
  // No frame is appended while the zeros go in; nothing is written, so it is rolled back.
  SQLite::Transaction write_lock(db, SQLite::TransactionBehavior::IMMEDIATE);
  sqlite3_file* wal = nullptr;
  if (sqlite3_file_control(db.getHandle(), "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK || wal == nullptr ||
      wal->pMethods == nullptr)
    return "the database has no WAL open";
  sqlite3_int64 length = 0;
  if (int rc = wal->pMethods->xFileSize(wal, &length); rc != SQLITE_OK)
    return std::string("cannot read the WAL's length: ") + sqlite3_errstr(rc);
  if (length >= bytes) return "";
  // In pieces the platform's VFS takes in one call each (it writes at most 128 KiB a call).
  std::vector<unsigned char> zeros(64 << 10);
  int rc = SQLITE_OK;
  for (auto at = length; at < bytes && rc == SQLITE_OK; at += static_cast<sqlite3_int64>(zeros.size())) {
    auto piece = static_cast<int>(std::min<sqlite3_int64>(static_cast<sqlite3_int64>(zeros.size()), bytes - at));
    rc = wal->pMethods->xWrite(wal, zeros.data(), piece, at);
  }
  if (rc == SQLITE_OK) rc = wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL);
  if (rc == SQLITE_OK) return "";
  // A full disk, say: the room is given back rather than half taken.
  wal->pMethods->xTruncate(wal, length);
  return std::string("cannot write the WAL's room: ") + sqlite3_errstr(rc);
}

}  // namespace lantern
