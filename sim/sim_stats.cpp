#include "sim_stats.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

namespace lantern::sim {

void sim_stats::record_latency(double ms) {
  auto now_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  std::lock_guard lock(mutex_);
  latencies_.push_back({ms, now_us});
}

void sim_stats::write_slowest() const {
  std::FILE* out = std::fopen(slowest_path_.c_str(), "w");
  if (out == nullptr) throw std::runtime_error("cannot write " + slowest_path_);
  std::fprintf(out, "# sent_wall_us latency_ms: the slowest 1%% of %zu acks\n", latencies_.size());
  auto from = latencies_.size() - latencies_.size() / 100;
  for (auto i = from; i < latencies_.size(); ++i)
    std::fprintf(out, "%lld %.3f\n",
                 static_cast<long long>(latencies_[i].acked_wall_us - std::llround(latencies_[i].ms * 1000)),
                 latencies_[i].ms);
  std::fclose(out);
}

void sim_stats::open_acked_log(const std::string& path) {
  acked_log_ = std::fopen(path.c_str(), "w");
  if (acked_log_ == nullptr) throw std::runtime_error("cannot write acked log " + path);
}

void sim_stats::log_acked(const std::string& device_id, std::uint64_t seq) {
  if (acked_log_ == nullptr) return;
  std::lock_guard lock(mutex_);
  std::fprintf(acked_log_, "%s %llu\n", device_id.c_str(), static_cast<unsigned long long>(seq));
}

void sim_stats::print_progress(std::FILE* out, double elapsed_s) {
  std::fprintf(out, "\r%6.0f s  connected %lld  sent %llu  acked %llu  nacked %llu  heartbeats acked %llu   ",
               elapsed_s, (long long)connected, (unsigned long long)alarms_sent, (unsigned long long)alarms_acked,
               (unsigned long long)alarms_nacked, (unsigned long long)heartbeats_acked);
  std::fflush(out);
}

void sim_stats::print(std::FILE* out, std::size_t devices, double elapsed_s) {
  std::lock_guard lock(mutex_);
  if (acked_log_) std::fflush(acked_log_);
  std::sort(latencies_.begin(), latencies_.end());
  if (!slowest_path_.empty()) write_slowest();
  auto pct = [&](double p) {
    if (latencies_.empty()) return 0.0;
    auto index = static_cast<std::size_t>(p * static_cast<double>(latencies_.size() - 1));
    return latencies_[index].ms;
  };
  std::fprintf(out, "devices            %zu (connects %llu, connection failures %llu, refused %llu)\n", devices,
               (unsigned long long)connects, (unsigned long long)connection_failures,
               (unsigned long long)devices_refused);
  std::fprintf(out, "alarms             sent %llu, acked %llu, nacked %llu, re-sent %llu, unacked at end %llu\n",
               (unsigned long long)alarms_sent, (unsigned long long)alarms_acked, (unsigned long long)alarms_nacked,
               (unsigned long long)alarms_resent, (unsigned long long)alarms_unacked_at_end);
  std::fprintf(out, "heartbeats         sent %llu, acked %llu\n", (unsigned long long)heartbeats_sent,
               (unsigned long long)heartbeats_acked);
  if (faults_injected > 0)
    std::fprintf(out, "faults             injected %llu, alarms acked again %llu\n",
                 (unsigned long long)faults_injected, (unsigned long long)duplicate_acks);
  if (bad_replies > 0 || clock_corrections > 0)
    std::fprintf(out, "dc09 replies       bad (CRC or echo) %llu, clock corrections from NAK %llu\n",
                 (unsigned long long)bad_replies, (unsigned long long)clock_corrections);
  std::fprintf(out, "alarms acked/s     %.1f over %.1f s\n", elapsed_s > 0 ? double(alarms_acked) / elapsed_s : 0.0,
               elapsed_s);
  std::fprintf(out, "ack latency ms     p50 %.2f  p99 %.2f  max %.2f  p99.9 %.2f\n", pct(0.50), pct(0.99),
               latencies_.empty() ? 0.0 : latencies_.back().ms, pct(0.999));
  std::fflush(out);
}

}  // namespace lantern::sim
