#include "privileges.hpp"

#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace lantern {
namespace {

std::string failed(const std::string& what) { return what + ": " + std::strerror(errno); }

// Sets the permitted and effective sets to `keep` (a mask of the first 32 capabilities).
bool set_capabilities(std::uint32_t keep) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  data[0].permitted = data[0].effective = keep;
  return syscall(SYS_capset, &header, data) == 0;
}

}  // namespace

bool running_as_root() { return geteuid() == 0; }

std::optional<std::string> become_user(const std::string& user) {
  if (!running_as_root())
    return "--user needs the server started as root (it is running as uid " + std::to_string(geteuid()) + ")";
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (getpwnam_r(user.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr)
    return "--user " + user + ": no such user";
  if (found->pw_uid == 0) return "--user " + user + ": that is root";
  // Keeps the permitted set through setuid; everything but binding low ports is then dropped.
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) return failed("prctl(PR_SET_KEEPCAPS)");
  if (initgroups(found->pw_name, found->pw_gid) != 0) return failed("initgroups");
  if (setresgid(found->pw_gid, found->pw_gid, found->pw_gid) != 0) return failed("setresgid");
  if (setresuid(found->pw_uid, found->pw_uid, found->pw_uid) != 0) return failed("setresuid");
  if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) return failed("prctl(PR_SET_KEEPCAPS, 0)");
  if (!set_capabilities(1u << CAP_NET_BIND_SERVICE)) return failed("capset");
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return failed("prctl(PR_SET_NO_NEW_PRIVS)");
  if (setuid(0) == 0) return "root could be regained after --user: refusing to run";
  return std::nullopt;
}

std::optional<std::string> drop_remaining_capabilities() {
  if (!set_capabilities(0)) return failed("capset");
  return std::nullopt;
}

}  // namespace lantern
