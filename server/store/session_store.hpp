#pragma once
// login_store on the SQLite database: the sessions table.

#include "core/login_store.hpp"

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lantern {

class session_store final : public login_store {
 public:
  explicit session_store(const std::string& db_path);

  // Every session still valid at `now_ms`; expired ones are deleted.
  std::vector<stored_session> load_live(std::int64_t now_ms) override;
  void save(const stored_session& session) override;
  void remove(const std::string& token_hash) override;

 private:
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace lantern
