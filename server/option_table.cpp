#include "option_table.hpp"

#include "centre/parse_number.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <array>
#include <functional>

namespace lantern {
namespace {

using setter = std::function<std::optional<std::string>(server_options&, std::string_view)>;

struct option_entry {
  const char* key;   // in lantern.toml: table.key
  const char* flag;  // on the command line
  const char* value_name;
  const char* help;  // may run over lines
  setter set;
};

template <typename Number, typename Apply>
setter number(Number min, Number max, Apply apply) {
  return [=](server_options& o, std::string_view v) -> std::optional<std::string> {
    Number n{};
    if (!parse_number<Number>(v, n, min, max)) {
      auto text = [](Number x) {
        if constexpr (std::is_floating_point_v<Number>) {
          auto s = std::to_string(x);
          s.erase(s.find_last_not_of('0') + 1);
          if (s.back() == '.') s.pop_back();
          return s;
        } else {
          return std::to_string(x);
        }
      };
      return std::string(std::is_floating_point_v<Number> ? "must be a number" : "must be a whole number") + " from " +
             text(min) + " to " + text(max);
    }
    apply(o, n);
    return std::nullopt;
  };
}

template <typename Apply>
setter text(Apply apply) {
  return [=](server_options& o, std::string_view v) -> std::optional<std::string> {
    apply(o, std::string(v));
    return std::nullopt;
  };
}

template <typename Apply>
setter one_of(std::initializer_list<const char*> allowed, Apply apply) {
  std::vector<std::string> words(allowed.begin(), allowed.end());
  return [=](server_options& o, std::string_view v) -> std::optional<std::string> {
    if (std::find(words.begin(), words.end(), v) == words.end()) {
      std::string list;
      for (const auto& w : words) list += (list.empty() ? "" : ", ") + w;
      return "must be one of " + list;
    }
    apply(o, std::string(v));
    return std::nullopt;
  };
}

std::optional<std::string> set_metrics_bind(server_options& o, std::string_view value) {
  auto colon = value.rfind(':');
  boost::system::error_code ec;
  auto address = colon == std::string_view::npos ? std::string() : std::string(value.substr(0, colon));
  if (address.size() > 2 && address.front() == '[' && address.back() == ']')
    address = address.substr(1, address.size() - 2);
  boost::asio::ip::make_address(address, ec);
  unsigned short port = 0;
  if (colon == std::string_view::npos || ec || !parse_number<unsigned short>(value.substr(colon + 1), port, 0, 65535))
    return "must be ADDRESS:PORT, e.g. 127.0.0.1:9464 (port 0 picks a free one)";
  o.metrics_address = address;
  o.metrics_port = port;
  return std::nullopt;
}

std::optional<std::string> set_bind(server_options& o, std::string_view value) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(value), ec);
  if (ec) return "must be an IP address, e.g. 127.0.0.1 or 0.0.0.0";
  o.bind = value;
  return std::nullopt;
}

using port_t = unsigned short;

const std::vector<option_entry>& entries() {
  static const std::vector<option_entry> all{
      {"server.database", "--db", "PATH", "SQLite database file (default ./lantern.db; created if missing)",
       text([](server_options& o, std::string v) { o.db_path = std::move(v); })},
      {"server.bind", "--bind", "ADDR", "address to listen on (default 127.0.0.1: loopback only)", set_bind},
      {"server.device_port", "--device-port", "N", "device link TCP port (default 7700; 0 picks a free port)",
       number<port_t>(0, 65535, [](server_options& o, port_t p) { o.device_port = p; })},
      {"server.http_port", "--http-port", "N", "console HTTP/WebSocket port (default 8080; 0 picks a free port)",
       number<port_t>(0, 65535, [](server_options& o, port_t p) { o.http_port = p; })},
      {"server.dc09_port", "--dc09-port", "N",
       "an SIA DC-09 receiver for alarm units on TCP and UDP port N (off\n"
       "without it; 0 picks one free port for both, logged as dc09_port=)",
       number<port_t>(0, 65535, [](server_options& o, port_t p) { o.dc09_port = p; })},
      {"server.console_dir", "--console-dir", "DIR",
       "folder of the operator console's files (default: the source tree's)",
       text([](server_options& o, std::string v) { o.console_dir = std::move(v); })},
      {"server.user", "--user", "NAME",
       "started as root: become NAME (its uid, gid and groups) before opening\n"
       "anything, the database included; only binding ports below 1024 is\n"
       "kept, until they listen. Without it, a server run as root warns",
       text([](server_options& o, std::string v) { o.user = std::move(v); })},
      {"server.threads", "--threads", "N",
       "I/O threads (default: one fewer than the hardware threads, at\n"
       "least 1: the journal writer has a core of its own)",
       number<unsigned>(1, 256, [](server_options& o, unsigned n) { o.threads = n; })},
      {"server.log_level", "--log-level", "LEVEL", "trace, debug, info, warn or error (default info)",
       one_of({"trace", "debug", "info", "warn", "error"},
              [](server_options& o, std::string v) { o.log_level = std::move(v); })},
      {"server.log_format", "--log-format", "F",
       "text (default) or json: one object a line, for journald and log\n"
       "collectors (fields: time, level, logger, message)",
       one_of({"text", "json"}, [](server_options& o, std::string v) { o.log_format = std::move(v); })},
      {"tls.cert", "--tls-cert", "FILE",
       "PEM certificate chain; with --tls-key the console port speaks HTTPS and\n"
       "WSS only and the device port TLS only (TLS 1.2 or later), the cookie\n"
       "Secure and HSTS sent. Read at start, before --user takes effect, and\n"
       "again on SIGHUP (then as that user)",
       text([](server_options& o, std::string v) { o.tls_cert = std::move(v); })},
      {"tls.key", "--tls-key", "FILE", "the certificate's private key (PEM)",
       text([](server_options& o, std::string v) { o.tls_key = std::move(v); })},
      {"tls.device_client_ca", "--device-tls-client-ca", "FILE",
       "with TLS: a device must also present a certificate this CA signed,\n"
       "on top of its token",
       text([](server_options& o, std::string v) { o.device_tls_client_ca = std::move(v); })},
      {"metrics.bind", "--metrics-bind", "A:P",
       "where /metrics is served, apart from the console (default\n"
       "127.0.0.1:9464; port 0 picks a free one, logged as metrics_port=)",
       set_metrics_bind},
      {"desk.language_first_s", "--language-first", "S",
       "offer a new case only to ready operators who speak the person's\n"
       "language for S seconds, then to everyone (default 20; 0: everyone at once)",
       number<unsigned>(0, 3600,
                        [](server_options& o, unsigned s) { o.desk.language_first_ms = std::int64_t(s) * 1000; })},
      {"desk.reopen_window_min", "--reopen-window", "M", "a resolved case may be reopened for M minutes (default 60)",
       number<unsigned>(0, 7 * 24 * 60,
                        [](server_options& o, unsigned m) { o.desk.reopen_window_ms = std::int64_t(m) * 60'000; })},
      {"supervision.checkin_grace", "--checkin-grace", "X",
       "a device silent for X times its heartbeat interval has missed its\n"
       "check-in: a missed_checkin case (default 3; 1.0-10)",
       number<double>(1.0, 10.0, [](server_options& o, double x) { o.supervision.grace_multiplier = x; })},
      {"supervision.low_battery_pct", "--low-battery", "PCT",
       "a heartbeat reporting PCT% or less opens one low_battery case (default 20)",
       number<int>(1, 90,
                   [](server_options& o, int pct) {
                     o.supervision.low_battery_pct = pct;
                     o.supervision.battery_recovered_pct = std::min(100, pct + 10);
                   })},
      {"limits.hello_timeout_s", "--hello-timeout", "S",
       "drop a device connection that sends no hello within S seconds (default 10)",
       number<unsigned>(1, 3600, [](server_options& o, unsigned s) { o.hello_timeout_s = s; })},
      {"limits.journal_batch", "--journal-batch", "N",
       "most requests per journal transaction (default 4096); 1 commits\n"
       "each alarm alone, the baseline the benchmark compares against",
       number<unsigned>(1, 65536, [](server_options& o, unsigned n) { o.journal_batch = n; })},
      {"diagnostics.journal_timeline", "--journal-timeline", "FILE",
       "note every journal commit and checkpoint (time, length, batch,\n"
       "queue left) and write them to FILE at stop: what lay under a slow\n"
       "ack (tests/bench/ack_outliers.sh reads it)",
       text([](server_options& o, std::string v) { o.journal_timeline = std::move(v); })},
      {"limits.console_queue_limit", "--console-queue-limit", "N",
       "a console that falls N updates behind (default 4096) gets a\n"
       "fresh snapshot in place of them; N answers unsent close it",
       number<unsigned>(16, 1'000'000, [](server_options& o, unsigned n) { o.console_queue_limit = n; })},
      {"limits.console_queue_mib", "--console-queue-mib", "M",
       "or M MiB behind (default 8; the update log all consoles share\n"
       "keeps M MiB; one message alone never closes a console)",
       number<std::size_t>(1, 1024, [](server_options& o, std::size_t n) { o.console_queue_mib = n; })},
      {"limits.max_http_waiting", "--max-http-waiting", "N",
       "HTTP connections waiting for a request (default 2048): past it the\n"
       "oldest idle one is dropped for the newest; each has 10 s for its headers",
       number<std::size_t>(1, 1'000'000, [](server_options& o, std::size_t n) { o.max_http_waiting = n; })},
      {"limits.max_http_per_source", "--max-http-per-source", "N", "the same, from one address (default 256)",
       number<std::size_t>(1, 1'000'000, [](server_options& o, std::size_t n) { o.max_http_per_source = n; })},
      {"limits.max_device_connections", "--max-device-connections", "N",
       "refuse device connections past N open (default 200000)",
       number<std::size_t>(1, 10'000'000, [](server_options& o, std::size_t n) { o.admission.max_connections = n; })},
      {"limits.max_handshakes", "--max-handshakes", "N",
       "device connections before their hello (default 4096): past it the\n"
       "oldest waiting one is dropped for the newest; new connections are\n"
       "refused only while N hellos wait for their (slow on purpose) token check",
       number<std::size_t>(1, 1'000'000, [](server_options& o, std::size_t n) { o.admission.max_handshakes = n; })},
      {"limits.max_handshakes_per_source", "--max-handshakes-per-source", "N",
       "the same, from one address (default 1024; fleets behind\n"
       "carrier NAT share one address, and a hub says hello at once)",
       number<std::size_t>(1, 1'000'000,
                           [](server_options& o, std::size_t n) { o.admission.max_handshakes_per_source = n; })},
      {"limits.device_rate", "--device-rate", "R",
       "events a second one device may send (default 250, bursts of 2R);\n"
       "past it an event is nacked RATE_LIMITED and the device re-sends",
       number<unsigned>(1, 100'000,
                        [](server_options& o, unsigned r) {
                          o.admission.events_per_second = r;
                          o.admission.event_burst = 2.0 * r;
                        })},
      {"limits.dc09_rate", "--dc09-rate", "R",
       "DC-09 frames a second from one address (default 2000, bursts of 2R;\n"
       "units behind a carrier's NAT share one): past it a frame gets no\n"
       "answer and the unit sends it again",
       number<double>(1, 1e7,
                      [](server_options& o, double r) {
                        o.dc09.frames_per_second = r;
                        o.dc09.frame_burst = 2 * r;
                      })},
  };
  return all;
}

const option_entry* find(std::string_view name) {
  for (const auto& e : entries())
    if (name == e.key || name == e.flag) return &e;
  return nullptr;
}

}  // namespace

std::optional<std::string> apply_setting(server_options& options, std::string_view name, std::string_view value) {
  const auto* entry = find(name);
  if (entry == nullptr)  // the escalation layer's keys, or nothing known
    return set_config_value(options.escalation, std::string(name), std::string(value));
  if (auto why = entry->set(options, value)) return std::string(entry->key) + ": " + *why;
  return std::nullopt;
}

bool is_setting_flag(std::string_view flag) { return find(flag) != nullptr || is_config_flag(flag); }

std::string settings_help() {
  struct line {
    std::string_view key;
    std::string flag;  // with the value's name: "--db PATH"
    std::string_view help;
  };
  std::vector<line> all;
  for (const auto& e : entries()) all.push_back({e.key, std::string(e.flag) + " " + e.value_name, e.help});
  for (const auto& k : config_keys()) all.push_back({k.key, std::string(k.flag) + " V", k.help});
  std::string out;
  std::string_view table;
  for (const auto& [key, flag, help] : all) {
    auto this_table = key.substr(0, key.find('.'));
    if (this_table != table) out += "\n[" + std::string(this_table) + "]\n";
    table = this_table;
    out += "  " + flag + "  (" + std::string(key.substr(key.find('.') + 1)) + ")\n";
    for (std::size_t start = 0; start <= help.size();) {
      auto end = std::min(help.find('\n', start), help.size());
      out += "        " + std::string(help.substr(start, end - start)) + "\n";
      start = end + 1;
    }
  }
  return out;
}

}  // namespace lantern
