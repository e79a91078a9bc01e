#pragma once
// Operators' login sessions as the web sees them on disk, so a restart in the middle of a
// shift does not log everyone out. Holds a hash of each session token, never the token.
// The SQLite engine is store/session_store.

#include <cstdint>
#include <string>
#include <vector>

namespace lantern {

struct stored_session {
  std::string token_hash;
  std::string username;
  std::int64_t expires_at_ms = 0;
};

// Not thread-safe: its owner serialises calls.
class login_store {
 public:
  virtual ~login_store() = default;
  // Every session still valid at `now_ms`; expired ones are deleted.
  virtual std::vector<stored_session> load_live(std::int64_t now_ms) = 0;
  virtual void save(const stored_session& session) = 0;
  virtual void remove(const std::string& token_hash) = 0;
};

}  // namespace lantern
