#pragma once
// Running as root only as long as it takes: `--user NAME` becomes that user (its uid, gid and
// groups) before anything is opened, the database included, so every file the server makes is
// that user's. Only the right to bind ports below 1024 is kept across the change, and it is
// given up once the ports listen. Nothing can be regained: no_new_privs is set too.

#include <optional>
#include <string>

namespace lantern {

// Becomes `user`, keeping only CAP_NET_BIND_SERVICE. Must run as root. Returns why not, or
// nothing on success.
std::optional<std::string> become_user(const std::string& user);

// Gives up every capability left (after the ports are bound). Returns why not, or nothing.
std::optional<std::string> drop_remaining_capabilities();

// Whether the process runs as root (effective uid 0).
bool running_as_root();

}  // namespace lantern
