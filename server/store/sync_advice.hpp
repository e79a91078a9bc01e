#pragma once
// Whether the database's filesystem makes each commit's fsync write more than the commit.
// On ext4 without a journal, fdatasync also writes the file's inode whenever its mtime moved
// (every few milliseconds under a stream of commits): one more synchronous disk write per
// commit. Mounted with `lazytime`, the times stay in memory and the sync writes the data
// alone. Measured on a 2-core VM, 10,000 alarms/s pinned, three alternating pairs: ack p99
// 35-51 ms without lazytime against 15-23 ms with it (README "Performance").

#include <string>
#include <string_view>

namespace lantern {

struct mount_facts {
  std::string mount_point;
  std::string fs_type;
  std::string options;  // the mount's and the superblock's, comma-separated
};

// The mount of device `major:minor` in /proc/self/mountinfo's text (the last one listed,
// which is the one on top); fs_type empty when none matches or a line is malformed.
mount_facts mount_of(std::string_view mountinfo, unsigned major, unsigned minor);

// A sentence for the operator, or empty when the commits' syncs cost nothing more.
// `journal_task`: /sys/fs/ext4/<device>/journal_task ("<none>" when ext4 keeps no journal).
std::string sync_advice(const mount_facts& mount, std::string_view journal_task);

// Both read from this machine for the file at `db_path`: empty when all is well or when
// the kernel's files cannot be read.
std::string sync_advice_for(const std::string& db_path);

}  // namespace lantern
