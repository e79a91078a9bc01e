#include "store/session_store.hpp"

#include "store/database.hpp"

#include <SQLiteCpp/Statement.h>

namespace lantern {

session_store::session_store(const std::string& db_path) : db_(open_database(db_path)) {}

std::vector<stored_session> session_store::load_live(std::int64_t now_ms) {
  SQLite::Statement expired(*db_, "DELETE FROM login_sessions WHERE expires_at_ms <= ?");
  expired.bind(1, now_ms);
  expired.exec();
  std::vector<stored_session> out;
  SQLite::Statement live(*db_, "SELECT token_hash, username, expires_at_ms FROM login_sessions");
  while (live.executeStep())
    out.push_back({live.getColumn(0).getString(), live.getColumn(1).getString(), live.getColumn(2).getInt64()});
  return out;
}

void session_store::save(const stored_session& session) {
  SQLite::Statement upsert(*db_, R"(INSERT INTO login_sessions (token_hash, username, expires_at_ms) VALUES (?1, ?2, ?3)
      ON CONFLICT (token_hash) DO UPDATE SET expires_at_ms = ?3)");
  upsert.bind(1, session.token_hash);
  upsert.bind(2, session.username);
  upsert.bind(3, session.expires_at_ms);
  upsert.exec();
}

void session_store::remove(const std::string& token_hash) {
  SQLite::Statement remove(*db_, "DELETE FROM login_sessions WHERE token_hash = ?");
  remove.bind(1, token_hash);
  remove.exec();
}

}  // namespace lantern
