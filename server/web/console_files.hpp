#pragma once
// The console's files, read once at start from one folder into memory. A request can only
// ever name one of them: no path that comes from outside reaches the file system, so no
// descriptor is ever opened (and closed) on the database's files by a request — closing one
// would drop SQLite's POSIX locks on it.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lantern {

struct static_file {
  std::string body;
  std::string content_type;
};

// The file a request target names, as a key relative to the console folder ("/" is
// "index.html"). Nothing for anything but plain names joined by single slashes: no
// absolute path after the first slash, no empty, "." or ".." part, no hidden file, no
// percent escape, backslash or control byte, nothing longer than 200 bytes.
std::optional<std::string> console_file_key(std::string_view target);

class console_files {
 public:
  // Reads every regular file under `root` whose real path (symlinks resolved) is still
  // inside the real `root` and is not directly in `database_folder`. Files left out are listed in
  // skipped(), with why, for the log.
  console_files(const std::filesystem::path& root, const std::filesystem::path& database_folder);

  const static_file* find(std::string_view target) const;
  std::size_t size() const { return files_.size(); }
  const std::vector<std::string>& skipped() const { return skipped_; }

 private:
  std::map<std::string, static_file, std::less<>> files_;
  std::vector<std::string> skipped_;
};

}  // namespace lantern
