#include "backup.hpp"
#include "server.hpp"
#include "store/database.hpp"
#include "verify_audit.hpp"

#include <cstdio>

int main(int argc, char** argv) {
  lantern::configure_sqlite_for_the_server();  // before any database is opened
  auto parsed = lantern::parse_server_options(argc, argv);
  if (std::holds_alternative<lantern::show_help>(parsed)) {
    std::fputs(lantern::server_usage().c_str(), stdout);
    return 0;
  }
  if (auto* error = std::get_if<lantern::option_error>(&parsed)) {
    std::fprintf(stderr, "lantern-server: %s\n", error->message.c_str());
    return 64;  // EX_USAGE
  }
  const auto& options = std::get<lantern::server_options>(parsed);
  if (options.verify_audit) return lantern::verify_audit(options.db_path);
  if (!options.backup_to.empty()) return lantern::backup_to(options.db_path, options.backup_to);
  if (!options.restore_from.empty()) return lantern::restore_from(options.restore_from, options.db_path);
  return lantern::run_server(options);
}
