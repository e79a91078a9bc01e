#pragma once
// A real lantern-server as a child process on free loopback ports, with its own database
// in a temporary folder. Stopped with SIGTERM (or killed with SIGKILL) by the test.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lantern::testing {

class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  std::filesystem::path path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

struct run_result {
  int exit_code;
  std::string output;
};

// Runs a program to its end, with its output captured.
run_result run_program(const std::string& program, const std::vector<std::string>& args);

// `lantern-server --import FILE --import-only` on `db`.
run_result import_centre(const std::string& db, const std::string& centre_file);

std::string demo_centre();  // deploy/demo-centre.json
// The demo centre imported into dir/lantern.db; returns its path. Throws when the import fails.
std::string demo_database(const temp_dir& dir);

// A fleet from `lantern-sim make-centre --persons N` (sim-1 .. sim-N, tokens
// sim-token-<n>-lantern, operator sim-operator) as dir/fleet.json, imported into
// dir/lantern.db; returns the database's path. Throws with the tools' output on failure.
// `make_args`: more for make-centre ({"--protocol", "dc09", "--encrypt"}: DC-09 hubs).
std::string sim_fleet_database(const temp_dir& dir, int persons, std::vector<std::string> make_args = {});

// A loopback TCP port nobody is listening on now.
unsigned short free_port();

// A raw connection to 127.0.0.1:`port` from the loopback address `from` (127.0.0.2, say):
// a descriptor the caller closes, or -1.
int connect_from(const std::string& from, unsigned short port);
// `count` such connections, held open and saying nothing; empty when one could not be made.
std::vector<int> idle_connections(const std::string& from, unsigned short port, int count);

// A helper program (an SMTP or webhook sink) running beside the test until destroyed.
// Waits until it listens on `port` on loopback.
class child_process {
 public:
  child_process(const std::string& program, const std::vector<std::string>& args, unsigned short port);
  ~child_process();
  child_process(const child_process&) = delete;
  std::string output() const;

 private:
  pid_t pid_ = -1;
  int output_fd_ = -1;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::string output_;
};

// lantern-sim sending alarms to `device_port` in the background for `seconds` at `rate`
// a second from the fleet in dir/fleet.json, re-sending whatever is not acked (1 s), and
// writing "device seq" for every acked alarm to dir/acked.txt.
class sim_load {
 public:
  sim_load(const temp_dir& dir, unsigned short device_port, int seconds, int rate);
  ~sim_load();
  sim_load(const sim_load&) = delete;
  // The alarms acked so far (whole lines of the log: the sim writes it in blocks).
  std::vector<std::pair<std::string, std::int64_t>> acked_so_far() const;
  // Waits for the sim to finish: its exit code (0: every alarm acked) and its report.
  run_result wait();

 private:
  std::string acked_log_;
  std::string report_;
  pid_t pid_ = -1;
};

class server_process {
 public:
  // `launcher`: a program that runs the server, e.g. {"/usr/bin/prlimit", "--fsize=N", "--"}.
  explicit server_process(const std::string& db, std::vector<std::string> extra_args = {},
                          std::vector<std::string> launcher = {});
  ~server_process();
  server_process(const server_process&) = delete;

  unsigned short device_port() const { return device_port_; }
  unsigned short http_port() const { return http_port_; }
  unsigned short metrics_port() const { return metrics_port_; }
  unsigned short dc09_port() const { return dc09_port_; }  // 0 without --dc09-port
  pid_t pid() const { return pid_; }
  // The server's resident memory now, from /proc, in KiB.
  long resident_kib() const;
  // Everything logged up to "listening" is in it once the constructor has returned.
  std::string output() const;
  // Whether the server's output shows `text` within 5 s (it is read from a pipe).
  bool said(const std::string& text) const;
  // SIGTERM, and waits for a clean exit; returns the exit code.
  int stop();
  // SIGKILL: no chance to flush anything.
  void kill_hard();

 private:
  void start(std::vector<std::string> args, std::vector<std::string> launcher);
  pid_t pid_ = -1;
  int output_fd_ = -1;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::string output_;
  unsigned short device_port_ = 0;
  unsigned short http_port_ = 0;
  unsigned short metrics_port_ = 0;
  unsigned short dc09_port_ = 0;
};

}  // namespace lantern::testing
