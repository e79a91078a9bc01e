#pragma once
// The server's named loggers (server, device, console, store, ...), on standard output:
// text for people, or --log-format json for journald and log collectors, one object a line
// with stable fields: time (UTC, ms), level, logger, message.

#include <spdlog/logger.h>

#include <memory>
#include <string>

namespace lantern {

std::shared_ptr<spdlog::logger> make_logger(const std::string& name, const std::string& level,
                                            const std::string& format);

// `text` as the inside of a JSON string: quotes, backslashes and control characters
// escaped, and bytes that are not UTF-8 replaced by U+FFFD (a log line stays valid JSON
// whatever a device or a browser sent).
std::string json_string_body(std::string_view text);

}  // namespace lantern
