#include "sim_options.hpp"

#include "centre/parse_number.hpp"

#include <algorithm>
#include <string_view>

namespace lantern::sim {
namespace {

using lantern::parse_number;

bool parse_mix(std::string_view text, std::map<std::string, unsigned>& mix) {
  std::map<std::string, unsigned> parsed;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto item = text.substr(0, comma);
    auto eq = item.find('=');
    unsigned weight = 0;
    if (eq == std::string_view::npos || !parse_number<unsigned>(item.substr(eq + 1), weight, 1, 1000000)) return false;
    parsed[std::string(item.substr(0, eq))] = weight;
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (parsed.empty()) return false;
  mix = std::move(parsed);
  return true;
}

bool parse_faults(std::string_view text, std::vector<std::string>& faults) {
  static const std::vector<std::string> kinds{"duplicate", "midframe", "slow", "garbage"};
  if (text == "all") {
    faults = kinds;
    return true;
  }
  std::vector<std::string> parsed;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string kind(text.substr(0, comma));
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) return false;
    parsed.push_back(kind);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (parsed.empty()) return false;
  faults = std::move(parsed);
  return true;
}

}  // namespace

std::string sim_usage() {
  return R"(lantern-sim: simulated alarm devices and load generator for Lantern.

Usage: lantern-sim --centre FILE [options]
       lantern-sim make-centre --persons N --out FILE

Each device is its own TCP connection speaking the device link (hello, alarms,
heartbeats); anything not acked is re-sent, with the same seq, after a reconnect.

  --centre FILE          centre file to take device ids and tokens from
  --host ADDR            server address (default 127.0.0.1)
  --port N               device port (default 7700), or the DC-09 receiver's with --protocol dc09
  --protocol P           lantern (default: the device link) or dc09: the file's SIA DC-09 units,
                         Contact ID over TCP, each message waiting for its ACK, re-sent with the
                         same seq when none comes, the clock set from a NAK; NULL check-ins;
                         a unit with a key in the file encrypts
  --dc09-udp             with --protocol dc09: over UDP rather than TCP
  --encrypt              make-centre --protocol dc09: give every unit a key
  --tls                  the device link over TLS (the server started with --tls-cert)
  --tls-ca FILE          with --tls: check the server's certificate against this CA (PEM;
                         default the system's roots)
  --tls-cert FILE        with --tls: the certificate every device presents (PEM), for a server
  --tls-key FILE         started with --device-tls-client-ca; both or neither
  --devices N            use the first N devices of the file (default all)
  --skip N               start from the file's device N+1 (to split a fleet over processes)
  --duration S           seconds to generate alarms (default 10; 0 = until Ctrl-C)
  --alarm-rate R         alarms per second across the whole fleet (default 1)
  --window W             closed loop: each device keeps W alarms awaiting ack (saturation)
  --alarms N             each device sends N alarms, the first as soon as the run starts
                         (then at --alarm-rate's pace, if given); the run ends once all are sent
  --mix TYPE=W,...       alarm type weights (default pendant=55,fall=12,pull_cord=8,...)
  --heartbeat S          heartbeat interval, 0.05 s or more (default: what the server says in welcome)
  --ack-timeout S        reconnect and re-send when an alarm is unacked this long (default 5)
  --drain S              after the run, wait up to S seconds for outstanding acks (default 30)
  --acked-log FILE       write "device_id seq" for every acked alarm
  --slowest-acks FILE    write the slowest 1% of acks at the end: "sent_wall_us latency_ms"
  --threads N            I/O threads (default 1)
  --progress             print a progress line every second
  --storm N              reconnect storm: every device has N alarms backlogged from an
                         outage and connects at a random moment within --storm-window
  --storm-window S       seconds over which the storm's devices reconnect (default 5)
  --outage-at S          with --storm: every device connects first; S seconds into the run
                         the network fails for all of them at once, then the storm follows
  --sources N            spread connections over source addresses 127.0.0.1..127.0.0.N
                         (one address reaches ~28k connections; use N >= devices / 25000)
  --faults KIND,...      fault mode: some devices misbehave, each in one of these ways:
                           duplicate  sends every alarm frame twice
                           midframe   drops the connection in the middle of a frame
                           slow       writes one byte a second (and sends no alarms)
                           garbage    sends random bytes after its frames
                         or "all" for every kind
  --fault-share PCT      percent of devices that misbehave in fault mode (default 10)
  --help                 this text

Prints sent, acked and nacked counts and ack latency p50/p99/max. Exits 1 when an alarm
was still unacked at the end, 0 otherwise.
)";
}

std::variant<sim_options, show_help, option_error> parse_sim_options(int argc, char** argv) {
  sim_options o;
  int first = 1;
  bool make_centre = argc > 1 && std::string_view(argv[1]) == "make-centre";
  if (make_centre) first = 2;
  for (int i = first; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") return show_help{};
    if (flag == "--progress" || flag == "--dc09-udp" || flag == "--encrypt" || flag == "--tls") {
      (flag == "--progress"   ? o.progress
       : flag == "--dc09-udp" ? o.dc09_udp
       : flag == "--tls"      ? o.tls
                              : o.encrypt) = true;
      continue;
    }
    if (i + 1 >= argc) return option_error{std::string(flag) + " needs a value (see --help)"};
    std::string_view v = argv[++i];
    auto bad = [&](std::string_view what) {
      return option_error{std::string(flag) + " " + std::string(v) + ": " + std::string(what)};
    };
    if (flag == "--tls-ca" || flag == "--tls-cert" || flag == "--tls-key") {
      (flag == "--tls-ca" ? o.tls_ca : flag == "--tls-cert" ? o.tls_cert : o.tls_key) = v;
      o.tls = true;
      continue;
    }
    if (flag == "--centre")
      o.centre_file = v;
    else if (flag == "--protocol") {
      if (v != "lantern" && v != "dc09") return option_error{"--protocol must be lantern or dc09"};
      o.protocol = v;
    } else if (flag == "--host")
      o.host = v;
    else if (flag == "--acked-log")
      o.acked_log = v;
    else if (flag == "--slowest-acks")
      o.slowest_acks = v;
    else if (flag == "--out")
      o.make_centre_out = v;
    else if (flag == "--port") {
      if (!parse_number<unsigned short>(v, o.port, 1, 65535)) return bad("must be a port 1-65535");
    } else if (flag == "--persons") {
      if (!parse_number<int>(v, o.make_centre_persons, 1, 1000000)) return bad("must be 1-1000000");
    } else if (flag == "--devices") {
      if (!parse_number<std::size_t>(v, o.devices, 1, 1000000)) return bad("must be 1-1000000");
    } else if (flag == "--skip") {
      if (!parse_number<std::size_t>(v, o.skip, 0, 10000000)) return bad("must be 0 or more devices");
    } else if (flag == "--duration") {
      if (!parse_number<double>(v, o.duration_s, 0, 86400)) return bad("must be 0-86400 seconds");
    } else if (flag == "--storm") {
      if (!parse_number<unsigned>(v, o.storm_backlog, 1, 1000)) return bad("must be 1-1000 alarms per device");
    } else if (flag == "--storm-window") {
      if (!parse_number<double>(v, o.storm_window_s, 0, 3600)) return bad("must be 0-3600 seconds");
    } else if (flag == "--outage-at") {
      if (!parse_number<double>(v, o.outage_at_s, 0, 86400)) return bad("must be 0-86400 seconds");
    } else if (flag == "--sources") {
      if (!parse_number<unsigned>(v, o.sources, 1, 254)) return bad("must be 1-254 addresses");
    } else if (flag == "--faults") {
      if (!parse_faults(v, o.faults)) return bad("must be a list of duplicate, midframe, slow, garbage, or all");
    } else if (flag == "--fault-share") {
      if (!parse_number<unsigned>(v, o.fault_share_pct, 1, 100)) return bad("must be 1-100 percent");
    } else if (flag == "--alarm-rate") {
      if (!parse_number<double>(v, o.alarm_rate, 0, 1e7)) return bad("must be 0 or more alarms per second");
    } else if (flag == "--alarms") {
      if (!parse_number<unsigned>(v, o.alarms_each, 1, 1'000'000)) return bad("must be 1-1000000");
    } else if (flag == "--window") {
      if (!parse_number<unsigned>(v, o.window, 1, 10000)) return bad("must be 1-10000");
    } else if (flag == "--heartbeat") {
      if (!parse_number<double>(v, o.heartbeat_s, 0.05, 86400)) return bad("must be 0.05-86400 seconds");
    } else if (flag == "--ack-timeout") {
      if (!parse_number<double>(v, o.ack_timeout_s, 0.1, 3600)) return bad("must be 0.1-3600 seconds");
    } else if (flag == "--drain") {
      if (!parse_number<double>(v, o.drain_s, 0, 3600)) return bad("must be 0-3600 seconds");
    } else if (flag == "--threads") {
      if (!parse_number<unsigned>(v, o.threads, 1, 64)) return bad("must be 1-64");
    } else if (flag == "--mix") {
      if (!parse_mix(v, o.mix)) return bad("must look like pendant=60,fall=20");
    } else
      return option_error{"unknown option " + std::string(flag) + " (see --help)"};
  }
  if (make_centre) {
    if (o.make_centre_persons == 0 || o.make_centre_out.empty())
      return option_error{"make-centre needs --persons N and --out FILE"};
    return o;
  }
  if (o.centre_file.empty()) return option_error{"--centre FILE is required (see --help)"};
  if (o.outage_at_s >= 0 && o.storm_backlog == 0) return option_error{"--outage-at needs --storm N"};
  if (o.alarms_each > 0 && (o.protocol == "dc09" || o.window > 0 || o.storm_backlog > 0))
    return option_error{"--alarms is for the lantern protocol, without --window or --storm"};
  if (o.tls_cert.empty() != o.tls_key.empty())
    return option_error{"--tls-cert and --tls-key go together: a certificate is presented with its key"};
  if (o.sources > 0 && !o.host.starts_with("127."))
    return option_error{"--sources needs a loopback --host (127.x.x.x)"};
  return o;
}

}  // namespace lantern::sim
