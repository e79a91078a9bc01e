#pragma once
// The console's files, served from one folder. Nothing outside it is ever read.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace lantern {

struct static_file {
  std::string body;
  std::string content_type;
};

// The file a request target names ("/" is index.html); nothing for a path that leaves
// `root`, a hidden file, or a file that is not there.
std::optional<static_file> load_static_file(const std::filesystem::path& root, std::string_view target);

}  // namespace lantern
