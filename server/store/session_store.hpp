#pragma once
// Operators' login sessions on disk, so a restart in the middle of a shift does not log
// everyone out. Holds a hash of each session token, never the token.

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lantern {

struct stored_session {
  std::string token_hash;
  std::string username;
  std::int64_t expires_at_ms = 0;
};

// Not thread-safe: its owner serialises calls.
class session_store {
 public:
  explicit session_store(const std::string& db_path);

  // Every session still valid at `now_ms`; expired ones are deleted.
  std::vector<stored_session> load_live(std::int64_t now_ms);
  void save(const stored_session& session);
  void remove(const std::string& token_hash);

 private:
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace lantern
