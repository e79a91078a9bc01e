#include "server_options.hpp"

#include "centre/parse_number.hpp"
#include "escalation/escalation_config.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <string_view>

namespace lantern {

std::string server_usage() {
  return R"(lantern-server: the Lantern telecare monitoring centre server.

Usage: lantern-server [options]

  --db PATH            SQLite database file (default ./lantern.db; created if missing)
  --bind ADDR          address to listen on (default 127.0.0.1: loopback only)
  --device-port N      device link TCP port (default 7700; 0 picks a free port)
  --http-port N        console HTTP/WebSocket port (default 8080; 0 picks a free port)
  --dc09-port N        an SIA DC-09 receiver for alarm units on TCP and UDP port N (off
                       without it; 0 picks one free port for both, logged as dc09_port=)
  --dc09-rate R        DC-09 frames a second from one address (default 2000, bursts of 2R;
                       units behind a carrier's NAT share one): past it a frame gets no
                       answer and the unit sends it again
  --console-dir DIR    folder of the operator console's files (default: the source tree's)
  --tls-cert FILE      PEM certificate chain; with --tls-key the console port speaks HTTPS and
  --tls-key FILE       WSS only and the device port TLS only (TLS 1.2 or later), the cookie
                       Secure and HSTS sent. Read at start, before --user takes effect, and
                       again on SIGHUP (then as that user)
  --device-tls-client-ca FILE
                       with TLS: a device must also present a certificate this CA signed,
                       on top of its token
  --user NAME          started as root: become NAME (its uid, gid and groups) before opening
                       anything, the database included; only binding ports below 1024 is
                       kept, until they listen. Without it, a server run as root warns
  --import FILE        load a centre file (format lantern.centre.v1) before serving;
                       a file with any error imports nothing
  --import-only        with --import: stop after importing
  --verify-audit       walk the audit trail's hash chain in --db and exit: 0 when whole,
                       1 naming the first row changed or removed, 2 when it cannot be checked
  --threads N          I/O threads (default: one fewer than the hardware threads, at
                       least 1: the journal writer has a core of its own)
  --hello-timeout S    drop a device connection that sends no hello within S seconds (default 10)
  --journal-batch N    most requests per journal transaction (default 4096); 1 commits
                       each alarm alone, the baseline the benchmark compares against
  --language-first S   offer a new case only to ready operators who speak the person's
                       language for S seconds, then to everyone (default 20; 0: everyone at once)
  --reopen-window M    a resolved case may be reopened for M minutes (default 60)
  --console-queue-limit N  close a console that falls N messages behind (default 4096);
                       it resyncs when it reconnects
  --console-queue-mib M    or M MiB behind (default 8; one message alone never closes it)
  --metrics-bind A:P   where /metrics is served, apart from the console (default
                       127.0.0.1:9464; port 0 picks a free one, logged as metrics_port=)
  --max-http-waiting N  HTTP connections waiting for a request (default 2048): past it the
                       oldest idle one is dropped for the newest; each has 10 s for its headers
  --max-http-per-source N  the same, from one address (default 256)
  --checkin-grace X    a device silent for X times its heartbeat interval has missed its
                       check-in: a missed_checkin case (default 3; 1.0-10)
  --low-battery PCT    a heartbeat reporting PCT% or less opens one low_battery case (default 20)
  --max-device-connections N  refuse device connections past N open (default 200000)
  --max-handshakes N   device connections before their hello (default 4096): past it the
                       oldest waiting one is dropped for the newest; new connections are
                       refused only while N hellos wait for their (slow on purpose) token check
  --max-handshakes-per-source N  the same, from one address (default 1024; fleets behind
                       carrier NAT share one address, and a hub says hello at once)
  --device-rate R      events a second one device may send (default 250, bursts of 2R);
                       past it an event is nacked RATE_LIMITED and the device re-sends
  --config FILE        a TOML file of escalation settings (example: deploy/lantern.example.toml);
                       flags given as well win over the file
  --log-level LEVEL    trace, debug, info, warn or error (default info)
  --help               this text

Escalation to carers (each also a key in the --config file):
)" + config_keys_help() +
         R"(
The ports in use are logged in one line at start: "listening device_port=N http_port=N ...".
)";
}

std::variant<server_options, show_help, option_error> parse_server_options(int argc, char** argv) {
  server_options options;
  options.console_dir = LANTERN_DEFAULT_CONSOLE_DIR;
  // The file first, wherever --config stands: flags override it.
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string_view(argv[i]) == "--config")
      if (auto error = load_config_file(argv[i + 1], options.escalation)) return option_error{"--config " + *error};
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
    auto bad = [&](std::string_view what) {
      return option_error{std::string(flag) + " " + std::string(value) + ": " + std::string(what)};
    };
    if (flag == "--db")
      options.db_path = value;
    else if (flag == "--user")
      options.user = value;
    else if (flag == "--tls-cert")
      options.tls_cert = value;
    else if (flag == "--tls-key")
      options.tls_key = value;
    else if (flag == "--device-tls-client-ca")
      options.device_tls_client_ca = value;
    else if (flag == "--bind")
      options.bind = value;
    else if (flag == "--console-dir")
      options.console_dir = value;
    else if (flag == "--import")
      options.import_file = value;
    else if (flag == "--device-port") {
      if (!parse_number<unsigned short>(value, options.device_port, 0, 65535))
        return bad("must be a port number 0-65535");
    } else if (flag == "--dc09-port") {
      unsigned short port = 0;
      if (!parse_number<unsigned short>(value, port, 0, 65535)) return bad("must be a port number 0-65535");
      options.dc09_port = port;
    } else if (flag == "--dc09-rate") {
      if (!parse_number<double>(value, options.dc09.frames_per_second, 1, 1e7)) return bad("must be 1-10000000");
      options.dc09.frame_burst = 2 * options.dc09.frames_per_second;
    } else if (flag == "--http-port") {
      if (!parse_number<unsigned short>(value, options.http_port, 0, 65535))
        return bad("must be a port number 0-65535");
    } else if (flag == "--threads") {
      if (!parse_number<unsigned>(value, options.threads, 1, 256)) return bad("must be a number of threads 1-256");
    } else if (flag == "--hello-timeout") {
      if (!parse_number<unsigned>(value, options.hello_timeout_s, 1, 3600)) return bad("must be 1-3600 seconds");
    } else if (flag == "--journal-batch") {
      if (!parse_number<unsigned>(value, options.journal_batch, 1, 65536)) return bad("must be 1-65536");
    } else if (flag == "--language-first") {
      unsigned seconds = 0;
      if (!parse_number<unsigned>(value, seconds, 0, 3600)) return bad("must be 0-3600 seconds");
      options.desk.language_first_ms = std::int64_t(seconds) * 1000;
    } else if (flag == "--reopen-window") {
      unsigned minutes = 0;
      if (!parse_number<unsigned>(value, minutes, 0, 7 * 24 * 60)) return bad("must be 0-10080 minutes");
      options.desk.reopen_window_ms = std::int64_t(minutes) * 60'000;
    } else if (flag == "--console-queue-limit") {
      if (!parse_number<unsigned>(value, options.console_queue_limit, 16, 1'000'000)) return bad("must be 16-1000000");
    } else if (flag == "--metrics-bind") {
      auto colon = value.rfind(':');
      boost::system::error_code ec;
      auto address = colon == std::string_view::npos ? std::string() : std::string(value.substr(0, colon));
      if (address.size() > 2 && address.front() == '[' && address.back() == ']')
        address = address.substr(1, address.size() - 2);
      boost::asio::ip::make_address(address, ec);
      if (colon == std::string_view::npos || ec ||
          !parse_number<unsigned short>(value.substr(colon + 1), options.metrics_port, 0, 65535))
        return bad("must be ADDRESS:PORT, e.g. 127.0.0.1:9464 (port 0 picks a free one)");
      options.metrics_address = address;
    } else if (flag == "--max-http-waiting") {
      if (!parse_number<std::size_t>(value, options.max_http_waiting, 1, 1'000'000)) return bad("must be 1-1000000");
    } else if (flag == "--max-http-per-source") {
      if (!parse_number<std::size_t>(value, options.max_http_per_source, 1, 1'000'000)) return bad("must be 1-1000000");
    } else if (flag == "--console-queue-mib") {
      if (!parse_number<std::size_t>(value, options.console_queue_mib, 1, 1024)) return bad("must be 1-1024 MiB");
    } else if (flag == "--checkin-grace") {
      char* end = nullptr;
      std::string text(value);
      double x = std::strtod(text.c_str(), &end);
      if (end == text.c_str() || *end != '\0' || !(x >= 1.0 && x <= 10.0))
        return bad("must be a number from 1.0 to 10");
      options.supervision.grace_multiplier = x;
    } else if (flag == "--low-battery") {
      if (!parse_number<int>(value, options.supervision.low_battery_pct, 1, 90)) return bad("must be 1-90 percent");
      options.supervision.battery_recovered_pct = std::min(100, options.supervision.low_battery_pct + 10);
    } else if (flag == "--max-device-connections") {
      if (!parse_number<std::size_t>(value, options.admission.max_connections, 1, 10'000'000))
        return bad("must be 1-10000000");
    } else if (flag == "--max-handshakes") {
      if (!parse_number<std::size_t>(value, options.admission.max_handshakes, 1, 1'000'000))
        return bad("must be 1-1000000");
    } else if (flag == "--max-handshakes-per-source") {
      if (!parse_number<std::size_t>(value, options.admission.max_handshakes_per_source, 1, 1'000'000))
        return bad("must be 1-1000000");
    } else if (flag == "--device-rate") {
      unsigned rate = 0;
      if (!parse_number<unsigned>(value, rate, 1, 100'000)) return bad("must be 1-100000 events a second");
      options.admission.events_per_second = rate;
      options.admission.event_burst = 2.0 * rate;
    } else if (flag == "--config") {
      continue;  // read above
    } else if (is_config_flag(flag)) {
      if (auto error = set_config_value(options.escalation, std::string(flag), std::string(value))) return bad(*error);
    } else if (flag == "--log-level") {
      static const std::set<std::string_view> levels{"trace", "debug", "info", "warn", "error"};
      if (!levels.contains(value)) return bad("must be one of trace, debug, info, warn, error");
      options.log_level = value;
    } else {
      return option_error{"unknown option " + std::string(flag) + " (see --help)"};
    }
  }
  if (options.import_only && options.import_file.empty()) return option_error{"--import-only needs --import FILE"};
  if (options.tls_cert.empty() != options.tls_key.empty())
    return option_error{"--tls-cert and --tls-key go together: the certificate chain and its private key"};
  if (!options.device_tls_client_ca.empty() && options.tls_cert.empty())
    return option_error{
        "--device-tls-client-ca needs --tls-cert and --tls-key: it asks devices for certificates over TLS"};
  options.desk.arrival_grace_ms = options.escalation.arrival_grace_s * 1000;
  return options;
}

}  // namespace lantern
