#include "escalation/carer_links.hpp"

#include "centre/secrets.hpp"

namespace lantern {

void carer_links::add(const std::string& id, carer_link_entry entry, std::int64_t now_ms) {
  if (entry.expires_at_ms <= now_ms) return;
  std::lock_guard lock(mutex_);
  links_.try_emplace(id, std::move(entry));
}

void carer_links::forget_expired(std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  std::erase_if(links_, [&](const auto& e) { return e.second.expires_at_ms <= now_ms; });
}

std::optional<carer_link_entry> carer_links::open(std::string_view token, std::int64_t now_ms) const {
  auto dot = token.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::optional<carer_link_entry> found;
  {
    std::lock_guard lock(mutex_);
    auto it = links_.find(std::string(token.substr(0, dot)));
    if (it == links_.end() || it->second.expires_at_ms <= now_ms) return std::nullopt;
    found = it->second;
  }
  if (!verify_secret(found->secret_hash, token.substr(dot + 1))) return std::nullopt;
  return found;
}

}  // namespace lantern
