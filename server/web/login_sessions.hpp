#pragma once
// Logged-in operators: an unguessable token (the session cookie) per login, expiring after
// a shift of inactivity. Kept in memory and, through a login_store, on disk (as token
// hashes), so a server restart does not log the night shift out.

#include "core/login_store.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace lantern {

// Something opened with a login (a live console) that must end the moment the login does.
class login_watcher {
 public:
  virtual ~login_watcher() = default;
  // Any thread; called outside the sessions' lock.
  virtual void login_ended() = 0;
};

class login_sessions {
 public:
  // `store` may be null (nothing persisted). Sessions it holds are taken back at once.
  explicit login_sessions(login_store* store, std::chrono::minutes idle_limit = std::chrono::hours(12));

  std::string create(const std::string& username);
  // The username behind a live token; slides its expiry forward.
  std::optional<std::string> find(const std::string& token);
  // Logout: the login ends, and everything opened with it is told at once.
  void revoke(const std::string& token);
  // A password reset, a deactivation or a new role: every login of `username` ends, on
  // every workstation. Returns how many.
  std::size_t end_all(const std::string& username);
  // `watcher` hears when the login behind `token` ends; false when it already has.
  bool watch(const std::string& token, std::weak_ptr<login_watcher> watcher);

 private:
  struct entry {
    std::string username;
    std::int64_t expires_at_ms;
    std::int64_t saved_expiry_ms;  // what the store holds; refreshed at most hourly
    std::vector<std::weak_ptr<login_watcher>> watchers;
  };
  static void tell(std::vector<std::weak_ptr<login_watcher>>& watchers);
  void forget_stored(const std::string& hash);
  static std::string token_hash(const std::string& token);

  login_store* store_;
  std::chrono::minutes idle_limit_;
  std::mutex mutex_;
  std::unordered_map<std::string, entry> sessions_;  // by token hash
};

}  // namespace lantern
