#include "store/sync_advice.hpp"

#include <boost/algorithm/string/classification.hpp>
#include <boost/algorithm/string/split.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <sys/stat.h>
#include <sys/sysmacros.h>

namespace lantern {

namespace {

// A line's fields, split at spaces (the kernel writes one between each).
std::vector<std::string> fields(std::string_view line) {
  std::vector<std::string> out;
  boost::algorithm::split(out, line, boost::algorithm::is_any_of(" "), boost::algorithm::token_compress_on);
  std::erase(out, std::string());
  return out;
}

bool has_option(std::string_view options, std::string_view wanted) {
  std::vector<std::string> each;
  boost::algorithm::split(each, options, boost::algorithm::is_any_of(","));
  return std::find(each.begin(), each.end(), wanted) != each.end();
}

// The kernel writes a space, tab, newline or backslash in a path as \ooo (octal): the
// operator reads the path as it is.
std::string unescaped(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    auto octal = [&](std::size_t at) { return at < path.size() && path[at] >= '0' && path[at] <= '7'; };
    if (path[i] == '\\' && octal(i + 1) && octal(i + 2) && octal(i + 3)) {
      out += char((path[i + 1] - '0') * 64 + (path[i + 2] - '0') * 8 + (path[i + 3] - '0'));
      i += 3;
    } else {
      out += path[i];
    }
  }
  return out;
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

mount_facts mount_of(std::string_view mountinfo, unsigned major, unsigned minor) {
  // "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue"
  // (proc(5)): optional fields until a lone "-", then the type, the source and the
  // superblock's options. Mount points come with spaces escaped (\040), so one line's
  // fields never run into the next; the mount point is given back unescaped.
  auto device = std::to_string(major) + ":" + std::to_string(minor);
  mount_facts found;
  std::size_t at = 0;
  while (at < mountinfo.size()) {
    auto end = mountinfo.find('\n', at);
    if (end == std::string_view::npos) end = mountinfo.size();
    auto f = fields(mountinfo.substr(at, end - at));
    at = end + 1;
    if (f.size() < 10 || f[2] != device) continue;
    std::size_t dash = 6;
    while (dash < f.size() && f[dash] != "-") ++dash;
    if (dash + 3 >= f.size()) continue;  // no type, source and options after the "-"
    found = {unescaped(f[4]), f[dash + 1], f[5] + "," + f[dash + 3]};
  }
  return found;
}

std::string sync_advice(const mount_facts& mount, std::string_view journal_task) {
  if (mount.fs_type != "ext4" || has_option(mount.options, "lazytime")) return {};
  while (!journal_task.empty() && (journal_task.back() == '\n' || journal_task.back() == ' '))
    journal_task.remove_suffix(1);
  if (journal_task != "<none>") return {};  // with a journal, fdatasync leaves the times to it
  return "the database's filesystem (" + mount.mount_point +
         ") is ext4 without a journal, mounted without lazytime: each commit's fsync also writes the "
         "inode's times, one more disk write per commit (ack p99 about twice as long under load). "
         "Remount it with -o lazytime (and add lazytime to its line in /etc/fstab)";
}

std::string sync_advice_for(const std::string& db_path) {
  struct stat file {};
  if (::stat(db_path.c_str(), &file) != 0) return {};
  unsigned major = ::major(file.st_dev), minor = ::minor(file.st_dev);
  auto mount = mount_of(read_all("/proc/self/mountinfo"), major, minor);
  if (mount.fs_type != "ext4") return {};
  // /sys/dev/block/MAJ:MIN links to the device's own directory, whose name ext4 uses too
  // (vda, dm-0): /dev/mapper names and the like are not.
  std::error_code ec;
  auto device =
      std::filesystem::read_symlink("/sys/dev/block/" + std::to_string(major) + ":" + std::to_string(minor), ec);
  if (ec) return {};
  return sync_advice(mount, read_all(std::filesystem::path("/sys/fs/ext4") / device.filename() / "journal_task"));
}

}  // namespace lantern
