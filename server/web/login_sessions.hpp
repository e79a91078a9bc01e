#pragma once
// Logged-in operators: an unguessable token (the session cookie) per login, expiring after
// a shift of inactivity. Held in memory: a restart asks operators to log in again.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace lantern {

class login_sessions {
 public:
  explicit login_sessions(std::chrono::minutes idle_limit = std::chrono::hours(12)) : idle_limit_(idle_limit) {}

  std::string create(const std::string& username);
  // The username behind a live token; refreshes its expiry.
  std::optional<std::string> find(const std::string& token);
  void revoke(const std::string& token);

 private:
  struct entry {
    std::string username;
    std::chrono::steady_clock::time_point expires;
  };
  std::chrono::minutes idle_limit_;
  std::mutex mutex_;
  std::unordered_map<std::string, entry> sessions_;
};

}  // namespace lantern
