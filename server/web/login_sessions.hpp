#pragma once
// Logged-in operators: an unguessable token (the session cookie) per login, expiring after
// a shift of inactivity. Kept in memory and, through a session_store, on disk (as token
// hashes), so a server restart does not log the night shift out.

#include "store/session_store.hpp"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace lantern {

class login_sessions {
 public:
  // `store` may be null (nothing persisted). Sessions it holds are taken back at once.
  explicit login_sessions(session_store* store, std::chrono::minutes idle_limit = std::chrono::hours(12));

  std::string create(const std::string& username);
  // The username behind a live token; slides its expiry forward.
  std::optional<std::string> find(const std::string& token);
  void revoke(const std::string& token);

 private:
  struct entry {
    std::string username;
    std::int64_t expires_at_ms;
    std::int64_t saved_expiry_ms;  // what the store holds; refreshed at most hourly
  };
  static std::string token_hash(const std::string& token);

  session_store* store_;
  std::chrono::minutes idle_limit_;
  std::mutex mutex_;
  std::unordered_map<std::string, entry> sessions_;  // by token hash
};

}  // namespace lantern
