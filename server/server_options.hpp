#pragma once
// lantern-server's command line and lantern.toml (every setting has a flag and a key:
// option_table.cpp); the actions (--import, --verify-audit, --backup-to, ...) are flags only.

#include "desk/desk.hpp"
#include "device/dc09_receiver.hpp"
#include "device/device_gateway.hpp"
#include "escalation/escalation_config.hpp"
#include "supervision/device_supervision.hpp"

#include <optional>
#include <string>
#include <variant>

namespace lantern {

struct server_options {
  std::string db_path = "./lantern.db";
  std::string bind = "127.0.0.1";
  unsigned short device_port = 7700;
  unsigned short http_port = 8080;
  std::optional<unsigned short> dc09_port;  // the SIA DC-09 receiver (TCP and UDP); off without it
  dc09_limits dc09;                         // --dc09-rate
  std::string console_dir;
  std::string import_file;
  bool import_only = false;
  bool verify_audit = false;  // walk the events' hash chain, report, exit
  std::string user;           // --user: become this user before opening anything
  std::string tls_cert;       // PEM chain: with tls_key, the console port speaks only HTTPS and WSS
  std::string tls_key;
  std::string device_tls_client_ca;  // devices must also present a certificate this CA signed
  unsigned threads = 0;              // 0: one fewer than the hardware threads, at least 1
  unsigned hello_timeout_s = 10;
  unsigned journal_batch = 4096;  // most requests per transaction; 1 turns group commit off
  std::string journal_timeline;   // --journal-timeline: every commit noted, written here at stop
  std::string log_level = "info";
  std::string log_format = "text";      // or json: one object a line
  std::string backup_to;                // --backup-to: copy --db there while a server may run, and exit
  std::string restore_from;             // --restore-from: put a backup in --db's place (no server running), and exit
  unsigned console_queue_limit = 4096;  // messages a console may fall behind by
  std::size_t console_queue_mib = 8;    // and MiB
  // HTTP connections waiting for a request, in all and from one address (consoles behind an
  // office's NAT, carers' phones behind a carrier's): past either the oldest is dropped.
  std::size_t max_http_waiting = 2048;
  std::size_t max_http_per_source = 256;
  std::string metrics_address = "127.0.0.1";  // --metrics-bind ADDR:PORT: /metrics on a listener of its own
  unsigned short metrics_port = 9464;
  desk_settings desk;                // --language-first, --reopen-window
  escalation_config escalation;      // --config FILE, and a flag for each key
  supervision_settings supervision;  // --checkin-grace, --low-battery
  admission_limits admission;        // --max-device-connections, --max-handshakes(-per-source), --device-rate
};

struct show_help {};
struct option_error {
  std::string message;
};

std::variant<server_options, show_help, option_error> parse_server_options(int argc, char** argv);
std::string server_usage();

}  // namespace lantern
