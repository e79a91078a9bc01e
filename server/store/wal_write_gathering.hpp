#pragma once
// A SQLite VFS that gathers a commit's writes to the WAL into one system call.
//
// SQLite writes each WAL frame as two `pwrite`s (its header, then the page), so a commit of
// fifteen pages is thirty system calls before its sync; on a virtual machine each costs a
// few microseconds of the journal writer's core. This VFS wraps the platform's: writes to a
// WAL file that continue where the last one ended are kept in memory and go out as one
// write just before the file is synced, read, sized, truncated or closed, or when a write
// lands anywhere else. Every other file, and everything else about the WAL, is the
// platform's own.
//
// Only for a connection that syncs the WAL at every commit (synchronous=FULL): SQLite tells
// other connections about a commit's frames after its sync, so by then they are written.
// Without that sync, a reader could be pointed at frames still held here.
// (open_database's `gather_wal_writes` checks the setting.)

namespace lantern {

// Registers the VFS once (not as the default) and returns its name for sqlite3_open_v2.
const char* wal_write_gathering_vfs();

}  // namespace lantern
