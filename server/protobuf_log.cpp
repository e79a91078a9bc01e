#include "protobuf_log.hpp"

#include <google/protobuf/stubs/logging.h>

#include <chrono>
#include <mutex>

namespace lantern {
namespace {

struct protobuf_log_state {
  std::shared_ptr<spdlog::logger> log;
  int per_minute = 10;
  std::mutex mutex;
  std::chrono::steady_clock::time_point window_start{};
  int written = 0;
  int left_out = 0;
};

protobuf_log_state& state() {
  static protobuf_log_state s;
  return s;
}

void handle(google::protobuf::LogLevel level, const char* file, int line, const std::string& message) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  auto now = std::chrono::steady_clock::now();
  if (now - s.window_start >= std::chrono::minutes(1)) {
    if (s.left_out > 0) s.log->warn("{} more libprotobuf messages left out in the last minute", s.left_out);
    s.window_start = now;
    s.written = s.left_out = 0;
  }
  if (s.written >= s.per_minute) {
    ++s.left_out;
    return;
  }
  ++s.written;
  auto spd = level >= google::protobuf::LOGLEVEL_ERROR     ? spdlog::level::err
             : level == google::protobuf::LOGLEVEL_WARNING ? spdlog::level::warn
                                                           : spdlog::level::info;
  s.log->log(spd, "libprotobuf {}:{}: {}", file, line, message);
}

}  // namespace

void route_protobuf_log(std::shared_ptr<spdlog::logger> log, int per_minute) {
  {
    auto& s = state();
    std::lock_guard lock(s.mutex);
    s.log = std::move(log);
    s.per_minute = per_minute;
  }
  google::protobuf::SetLogHandler(&handle);
}

}  // namespace lantern
