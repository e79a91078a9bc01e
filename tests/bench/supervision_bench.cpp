// Device supervision at fleet scale, in one process (no network): the memory each supervised
// device costs (the wheel node, its state and its index entry, measured as resident memory
// before and after), and how many heartbeats a second the rules take, against a peer: the
// same heartbeats through a std::map of deadlines (a timer-per-device design's ordered set).
//
//   lantern-supervision-bench [devices]   (default 100000)
#include "supervision/device_supervision.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

namespace {

long resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4096;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace lantern;
  using clock = std::chrono::steady_clock;
  std::size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100'000;
  centre records;
  for (std::size_t i = 0; i < n; ++i) {
    auto id = "dev-" + std::to_string(100'000 + i);
    records.add_device(device_record{id, "person-" + std::to_string(i), "pendant", "", 60});
  }
  std::vector<std::string> ids;
  ids.reserve(n);
  for (const auto& [id, _] : records.devices) ids.push_back(id);

  auto before = resident_bytes();
  device_supervision rules(records, supervision_settings{});
  rules.start(1'000'000);
  auto after = resident_bytes();

  constexpr int rounds = 10;
  std::vector<supervision_event> events;
  auto started = clock::now();
  std::int64_t now = 1'000'000;
  for (int r = 0; r < rounds; ++r) {
    for (const auto& id : ids) rules.heard(id, ++now, 87, events);
    rules.expire(now, events);
  }
  double rules_rate = double(n) * rounds / std::chrono::duration<double>(clock::now() - started).count();

  // Peer: deadlines kept in an ordered map keyed by (due, id), rescheduled on each heartbeat.
  std::map<std::pair<std::int64_t, std::size_t>, bool> ordered;
  std::vector<std::int64_t> due(n, 0);
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < n; ++i) index[ids[i]] = i;
  started = clock::now();
  now = 1'000'000;
  for (int r = 0; r < rounds; ++r) {
    for (const auto& id : ids) {
      auto i = index[id];
      ordered.erase({due[i], i});
      due[i] = ++now + 180'000;
      ordered.emplace(std::make_pair(due[i], i), true);
    }
    while (!ordered.empty() && ordered.begin()->first.first <= now) ordered.erase(ordered.begin());
  }
  double map_rate = double(n) * rounds / std::chrono::duration<double>(clock::now() - started).count();

  std::printf(
      "| supervised devices | memory per device | heartbeats/s through the rules | peer: std::map of deadlines | ratio "
      "|\n");
  std::printf("|---|---|---|---|---|\n");
  std::printf("| %zu | %.0f bytes | %.0f | %.0f | %.2f× |\n", n, double(after - before) / double(n), rules_rate,
              map_rate, rules_rate / map_rate);
  return 0;
}
