#include "server_options.hpp"

#include "option_table.hpp"
#include "settings_file.hpp"

#include <string_view>

namespace lantern {

std::string server_usage() {
  return R"(lantern-server: the Lantern telecare monitoring centre server.

Usage: lantern-server [--config FILE] [settings] [an action]

  --config FILE        lantern.toml: any of the settings below, by its [table] and key
                       (example: deploy/lantern.example.toml); flags given as well win
  --help               this text

Actions (without one, the server serves):
  --import FILE        load a centre file (format lantern.centre.v1) before serving;
                       a file with any error imports nothing
  --import-only        with --import: stop after importing
  --verify-audit       walk the audit trail's hash chain in --db and exit: 0 when whole,
                       1 naming the first row changed or removed, 2 when it cannot be checked
  --backup-to FILE     copy --db to FILE through SQLite's online backup, while a server
                       serves it (acks go on), check the copy's integrity, and exit
  --restore-from FILE  put the backup FILE in --db's place: refused while a server runs on
                       --db or when FILE fails its integrity check; the database it replaces
                       is kept beside it as <db>.before-restore-<time>

Settings: each flag, and in brackets its key in the --config file's [table]
)" + settings_help() +
         R"(
The ports in use are logged in one line at start: "listening device_port=N http_port=N ...".
)";
}

std::variant<server_options, show_help, option_error> parse_server_options(int argc, char** argv) {
  server_options options;
  options.console_dir = LANTERN_DEFAULT_CONSOLE_DIR;
  // The file first, wherever --config stands: flags override it.
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string_view(argv[i]) == "--config") {
      auto file = read_settings_file(argv[i + 1]);
      if (auto* why = std::get_if<std::string>(&file)) return option_error{"--config " + *why};
      for (const auto& [key, value] : std::get<std::vector<setting>>(file))
        if (auto why = apply_setting(options, key, value))
          return option_error{"--config " + std::string(argv[i + 1]) + ": " + *why};
    }
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") return show_help{};
    if (flag == "--import-only") {
      options.import_only = true;
      continue;
    }
    if (flag == "--verify-audit") {
      options.verify_audit = true;
      continue;
    }
    if (i + 1 >= argc) return option_error{std::string(flag) + " needs a value (see --help)"};
    std::string_view value = argv[++i];
    if (flag == "--config")
      continue;  // read above
    else if (flag == "--import")
      options.import_file = value;
    else if (flag == "--backup-to")
      options.backup_to = value;
    else if (flag == "--restore-from")
      options.restore_from = value;
    else if (is_setting_flag(flag)) {
      if (auto why = apply_setting(options, flag, value))
        return option_error{std::string(flag) + " " + std::string(value) + ": " + *why};
    } else {
      return option_error{"unknown option " + std::string(flag) + " (see --help)"};
    }
  }
  if (options.import_only && options.import_file.empty()) return option_error{"--import-only needs --import FILE"};
  int actions =
      !options.import_file.empty() + options.verify_audit + !options.backup_to.empty() + !options.restore_from.empty();
  if (actions > 1) return option_error{"one action at a time: --import, --verify-audit, --backup-to or --restore-from"};
  if (options.tls_cert.empty() != options.tls_key.empty())
    return option_error{"--tls-cert and --tls-key go together: the certificate chain and its private key"};
  if (!options.device_tls_client_ca.empty() && options.tls_cert.empty())
    return option_error{
        "--device-tls-client-ca needs --tls-cert and --tls-key: it asks devices for certificates over TLS"};
  options.desk.arrival_grace_ms = options.escalation.arrival_grace_s * 1000;
  return options;
}

}  // namespace lantern
