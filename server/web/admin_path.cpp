#include "web/admin_path.hpp"

namespace lantern {

std::optional<admin_path> parse_admin_path(std::string_view path) {
  constexpr std::string_view prefix = "/api/v1/";
  if (!path.starts_with(prefix)) return std::nullopt;
  path.remove_prefix(prefix.size());
  if (path == "centre-file") return admin_path{};
  auto slash = path.find('/');
  auto name = path.substr(0, slash);
  for (const auto& c : collections) {
    if (c.name != name) continue;
    admin_path out{&c, {}, {}};
    if (slash == std::string_view::npos) return out;
    auto rest = path.substr(slash + 1);
    auto next = rest.find('/');
    out.id = std::string(rest.substr(0, next));
    if (next != std::string_view::npos) out.action = std::string(rest.substr(next + 1));
    return out;
  }
  return std::nullopt;
}

// A person's access details (a key-safe code) leave out of every answer, at any depth (a
// subject-access record holds them in plan versions and audit events too), except the one
// read that asks for them and is audited.
void remove_access(boost::json::value& v) {
  if (auto* o = v.if_object()) {
    o->erase("access");
    for (auto& [_, member] : *o) remove_access(member);
  } else if (auto* a = v.if_array()) {
    for (auto& item : *a) remove_access(item);
  }
}

}  // namespace lantern
