#pragma once
// lantern-sim's command line.

#include <map>
#include <string>
#include <variant>
#include <vector>

namespace lantern::sim {

struct sim_options {
  std::string host = "127.0.0.1";
  unsigned short port = 7700;
  std::string centre_file;           // devices and tokens come from here
  std::string protocol = "lantern";  // or "dc09": the file's SIA DC-09 units, to a DC-09 receiver
  bool dc09_udp = false;             // DC-09 over UDP rather than TCP
  bool encrypt = false;              // make-centre: DC-09 units with keys
  bool tls = false;                  // the device link over TLS
  std::string tls_ca;                // --tls-ca: the CA the server's certificate is checked against
  std::string tls_cert, tls_key;     // the device's own certificate, for a server that asks for one
  std::size_t devices = 0;           // 0: every device in the file
  std::size_t skip = 0;              // start from this device of the file (split a fleet over processes)
  double duration_s = 10;            // 0: until Ctrl-C
  double alarm_rate = 1;             // alarms per second across the fleet (open loop)
  unsigned window = 0;               // >0: closed loop, each device keeps this many alarms in flight
  unsigned alarms_each = 0;          // >0: each device sends exactly this many, the first at once
  double heartbeat_s = 0;            // 0: the interval the server gives in welcome
  double ack_timeout_s = 5;          // an alarm unacked this long: reconnect and re-send
  double drain_s = 30;               // after the run, wait this long for outstanding acks
  std::map<std::string, unsigned> mix{{"pendant", 55}, {"fall", 12}, {"pull_cord", 8},   {"no_activity", 6},
                                      {"smoke", 3},    {"door", 4},  {"temperature", 3}, {"low_battery", 5},
                                      {"cancel", 2},   {"test", 2}};
  std::string acked_log;
  std::string slowest_acks;  // written at the end: the slowest 1% of acks, with when each was sent
  unsigned threads = 1;
  bool progress = false;
  // Storm mode: each device comes back from an outage with this many alarms it could not
  // send, and reconnects at a random moment within storm_window_s.
  unsigned storm_backlog = 0;
  double storm_window_s = 5;
  // >=0: the storm follows a network outage this many seconds into the run, rather than
  // the run's start (every device first connects, then all drop at once).
  double outage_at_s = -1;
  // Many-connection mode: spread connections over source addresses 127.0.0.1..127.0.0.N,
  // since one address pair has only ~28k ephemeral ports. 0: the system picks.
  unsigned sources = 0;
  // Fault mode: this share (percent) of devices misbehave, each in one of these ways.
  std::vector<std::string> faults;
  unsigned fault_share_pct = 10;
  // make-centre mode
  int make_centre_persons = 0;
  std::string make_centre_out;
};

struct show_help {};
struct option_error {
  std::string message;
};

std::variant<sim_options, show_help, option_error> parse_sim_options(int argc, char** argv);
std::string sim_usage();

}  // namespace lantern::sim
