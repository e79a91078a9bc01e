#include "web/login_sessions.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace lantern {

std::string login_sessions::create(const std::string& username) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not initialise");
  std::array<unsigned char, 32> raw{};
  randombytes_buf(raw.data(), raw.size());
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
  std::string token(hex.data());
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  // Expired entries go when new ones come, so the map never grows without end.
  std::erase_if(sessions_, [&](const auto& e) { return e.second.expires <= now; });
  sessions_[token] = entry{username, now + idle_limit_};
  return token;
}

std::optional<std::string> login_sessions::find(const std::string& token) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(token);
  auto now = std::chrono::steady_clock::now();
  if (it == sessions_.end() || it->second.expires <= now) return std::nullopt;
  it->second.expires = now + idle_limit_;
  return it->second.username;
}

void login_sessions::revoke(const std::string& token) {
  std::lock_guard lock(mutex_);
  sessions_.erase(token);
}

}  // namespace lantern
