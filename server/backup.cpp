#include "backup.hpp"

#include "store/online_backup.hpp"

#include <cstdio>
#include <ctime>

namespace lantern {
namespace {

void print(const char* what, const std::string& file, const backup_summary& s) {
  std::printf("%s %s: %lld events (newest %lld), schema %d, %.1f MiB, integrity ok, %.2f s\n", what, file.c_str(),
              static_cast<long long>(s.events), static_cast<long long>(s.last_event_id), s.schema_version,
              static_cast<double>(s.bytes) / (1024.0 * 1024.0), s.seconds);
}

}  // namespace

int backup_to(const std::string& db_path, const std::string& file) {
  try {
    print("backup written to", file, backup_database(db_path, file));
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lantern-server: backup of %s not taken: %s\n", db_path.c_str(), e.what());
    return 1;
  }
}

int restore_from(const std::string& file, const std::string& db_path) {
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  std::string kept_as = db_path + ".before-restore-" + stamp;
  try {
    auto restored = restore_database(file, db_path, kept_as);
    print("restored into", db_path, restored);
    std::printf("the database it replaced (if any) is kept as %s\n", kept_as.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lantern-server: %s not restored, nothing changed: %s\n", file.c_str(), e.what());
    return 1;
  }
}

}  // namespace lantern
