#include "web/login_sessions.hpp"

#include "centre/calendar.hpp"
#include "centre/secrets.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace lantern {
namespace {

std::string to_hex(const unsigned char* data, std::size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.pop_back();
  return hex;
}

constexpr std::int64_t hour_ms = 3'600'000;

}  // namespace

login_sessions::login_sessions(login_store* store, std::chrono::minutes idle_limit)
    : store_(store), idle_limit_(idle_limit) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not initialise");
  if (store_ == nullptr) return;
  for (auto& s : store_->load_live(now_ms()))
    sessions_[s.token_hash] = entry{std::move(s.username), s.expires_at_ms, s.expires_at_ms, {}};
}

std::string login_sessions::token_hash(const std::string& token) {
  std::array<unsigned char, 32> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                     nullptr, 0);
  return to_hex(digest.data(), digest.size());
}

std::string login_sessions::create(const std::string& username) {
  std::string token = random_hex(32);
  auto hash = token_hash(token);
  auto now = now_ms();
  std::int64_t expires = now + std::chrono::duration_cast<std::chrono::milliseconds>(idle_limit_).count();
  std::lock_guard lock(mutex_);
  // Expired entries go when new ones come, so the map never grows without end.
  std::erase_if(sessions_, [&](const auto& e) { return e.second.expires_at_ms <= now; });
  if (store_) store_->save({hash, username, expires});  // throws on a full disk: then no login
  sessions_[hash] = entry{username, expires, expires, {}};
  return token;
}

std::optional<std::string> login_sessions::find(const std::string& token) {
  auto hash = token_hash(token);
  auto now = now_ms();
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(hash);
  if (it == sessions_.end() || it->second.expires_at_ms <= now) return std::nullopt;
  auto& e = it->second;
  e.expires_at_ms = now + std::chrono::duration_cast<std::chrono::milliseconds>(idle_limit_).count();
  // One disk write an hour per session at most: a page polling the server costs nothing.
  if (store_ && e.expires_at_ms - e.saved_expiry_ms > hour_ms) {
    try {
      store_->save({hash, e.username, e.expires_at_ms});
      e.saved_expiry_ms = e.expires_at_ms;
    } catch (const std::exception&) {
      // A full disk: the login goes on in memory, and the save is tried again next time.
    }
  }
  return e.username;
}

void login_sessions::forget_stored(const std::string& hash) {
  if (!store_) return;
  try {
    store_->remove(hash);
  } catch (const std::exception&) {
    // A full disk: the login ends now all the same; only a restart could bring it back.
  }
}

void login_sessions::tell(std::vector<std::weak_ptr<login_watcher>>& watchers) {
  for (auto& w : watchers)
    if (auto live = w.lock()) live->login_ended();
}

void login_sessions::revoke(const std::string& token) {
  auto hash = token_hash(token);
  std::vector<std::weak_ptr<login_watcher>> watchers;
  {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(hash);
    if (it == sessions_.end()) return;
    watchers = std::move(it->second.watchers);
    sessions_.erase(it);
    forget_stored(hash);
  }
  tell(watchers);
}

std::size_t login_sessions::end_all(const std::string& username) {
  std::vector<std::weak_ptr<login_watcher>> watchers;
  std::size_t ended = 0;
  {
    std::lock_guard lock(mutex_);
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      if (it->second.username != username) {
        ++it;
        continue;
      }
      for (auto& w : it->second.watchers) watchers.push_back(std::move(w));
      forget_stored(it->first);
      it = sessions_.erase(it);
      ++ended;
    }
  }
  tell(watchers);
  return ended;
}

bool login_sessions::watch(const std::string& token, std::weak_ptr<login_watcher> watcher) {
  auto hash = token_hash(token);
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(hash);
  if (it == sessions_.end() || it->second.expires_at_ms <= now_ms()) return false;
  std::erase_if(it->second.watchers, [](const auto& w) { return w.expired(); });
  it->second.watchers.push_back(std::move(watcher));
  return true;
}

}  // namespace lantern
