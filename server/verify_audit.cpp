#include "verify_audit.hpp"

#include "store/audit_chain.hpp"
#include "store/database.hpp"

#include <SQLiteCpp/Database.h>

#include <cstdio>
#include <filesystem>

namespace lantern {

int verify_audit(const std::string& db_path) {
  if (!std::filesystem::is_regular_file(db_path)) {
    std::fprintf(stderr, "lantern-server: no database at %s\n", db_path.c_str());
    return 2;
  }
  try {
    SQLite::Database db(db_path, SQLite::OPEN_READONLY);
    db.setBusyTimeout(5000);  // the server may be writing: a brief lock is waited out
    if (auto version = schema_version(db); version < audit_chain_schema_version()) {
      std::fprintf(stderr,
                   "lantern-server: %s is at schema %d, before the audit chain: start lantern-server on it once\n",
                   db_path.c_str(), version);
      return 2;
    }
    register_audit_chain(db);
    auto verdict = verify_audit_chain(db);
    if (!verdict.broken.empty()) {
      std::printf("audit trail BROKEN at %s (%lld events before it hold)\n", verdict.broken.c_str(),
                  static_cast<long long>(verdict.events));
      return 1;
    }
    std::printf("audit trail intact: %lld events, head event %lld %s\n", static_cast<long long>(verdict.events),
                static_cast<long long>(verdict.head_id), verdict.head_hex.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lantern-server: cannot check %s: %s\n", db_path.c_str(), e.what());
    return 2;
  }
}

}  // namespace lantern
