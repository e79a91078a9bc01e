#pragma once
// What the simulator counts, shared by every simulated device (thread-safe), and the
// report it prints at the end.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

namespace lantern::sim {

class sim_stats {
 public:
  std::atomic<std::uint64_t> alarms_sent{0};
  std::atomic<std::uint64_t> alarms_resent{0};
  std::atomic<std::uint64_t> alarms_acked{0};
  std::atomic<std::uint64_t> alarms_nacked{0};
  std::atomic<std::uint64_t> heartbeats_sent{0};
  std::atomic<std::uint64_t> heartbeats_acked{0};
  std::atomic<std::uint64_t> connects{0};
  std::atomic<std::uint64_t> connection_failures{0};
  std::atomic<std::uint64_t> devices_refused{0};
  std::atomic<std::uint64_t> alarms_unacked_at_end{0};
  std::atomic<std::uint64_t> duplicate_acks{0};
  std::atomic<std::uint64_t> faults_injected{0};
  std::atomic<std::int64_t> connected{0};
  // DC-09: replies whose CRC, seq or account echo was wrong, and clocks set from a NAK.
  std::atomic<std::uint64_t> bad_replies{0};
  std::atomic<std::uint64_t> clock_corrections{0};

  void record_latency(double ms);
  // At print: the slowest 1% of acks, one line each ("sent_wall_us latency_ms"), to lay
  // beside the server's journal timeline (tests/bench/ack_outliers.sh).
  void write_slowest_to(std::string path) { slowest_path_ = std::move(path); }
  // Writes "device_id seq" for every acked alarm, when a log file was asked for.
  void open_acked_log(const std::string& path);
  void log_acked(const std::string& device_id, std::uint64_t seq);

  // One line, rewritten in place each second (--progress).
  void print_progress(std::FILE* out, double elapsed_s);
  // Prints the figures; `elapsed_s` is the time alarms were being generated.
  void print(std::FILE* out, std::size_t devices, double elapsed_s);

 private:
  std::mutex mutex_;
  struct ack_time {
    double ms;
    std::int64_t acked_wall_us;
    bool operator<(const ack_time& o) const { return ms < o.ms; }
  };
  void write_slowest() const;
  std::vector<ack_time> latencies_;
  std::string slowest_path_;
  std::FILE* acked_log_ = nullptr;
};

}  // namespace lantern::sim
