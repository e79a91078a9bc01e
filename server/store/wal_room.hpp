#pragma once
// The WAL file's room, written out in full once, before the first commit.
//
// A commit that extends the WAL file makes the file system allocate blocks and write the
// file's inode besides the frames, at the commit's sync: one more request to the disk for
// each commit while the WAL grows to its working length, which after each start takes a
// minute at 5,000 alarms/s (and the whole while at a few a second). Zeros written up to the
// length SQLite cuts the WAL back to (`wal_file_limit_bytes`) leave it overwritten in place
// from then on, each sync writing the frames and nothing else.
//
// Safe because SQLite never reads a WAL frame beyond its last commit except to recover after
// a crash, and recovery stops at the first frame that is not of the current WAL: zeros are
// not (their salt is wrong). Nor does a reader: it is told how many frames are committed.

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <string>

namespace lantern {

// Extends the WAL of `db` (a connection in WAL mode) to `bytes` with zeros and syncs it;
// nothing if it is that long already. Holds the database's write lock meanwhile, so that no
// connection appends frames where the zeros go. Returns "" or why not, the file then left
// at its old length.
std::string reserve_wal_room(SQLite::Database& db, std::int64_t bytes);

}  // namespace lantern
