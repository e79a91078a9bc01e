#pragma once
// libprotobuf's own log lines (one per message with invalid UTF-8, say) go through spdlog,
// at most a few a minute: a peer sending bad strings must not fill the disk with the log.

#include <spdlog/logger.h>

#include <memory>

namespace lantern {

// Until the process ends; at most `per_minute` lines a minute, then one line saying how
// many were left out.
void route_protobuf_log(std::shared_ptr<spdlog::logger> log, int per_minute = 10);

}  // namespace lantern
