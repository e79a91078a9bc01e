#include "web/console_files.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace lantern {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t max_key_size = 200;
constexpr std::uintmax_t max_file_size = 8 * 1024 * 1024;

std::string content_type_for(const fs::path& file) {
  static const std::map<std::string, std::string> types{{".html", "text/html; charset=utf-8"},
                                                        {".js", "text/javascript; charset=utf-8"},
                                                        {".mjs", "text/javascript; charset=utf-8"},
                                                        {".css", "text/css; charset=utf-8"},
                                                        {".svg", "image/svg+xml"},
                                                        {".png", "image/png"},
                                                        {".ico", "image/x-icon"},
                                                        {".json", "application/json"},
                                                        {".wav", "audio/wav"},
                                                        {".webmanifest", "application/manifest+json"}};
  auto it = types.find(file.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

bool plain_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

// Whether `inner` is `outer` or below it; both already canonical.
bool is_within(const fs::path& inner, const fs::path& outer) {
  auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return o == outer.end();
}

}  // namespace

std::optional<std::string> console_file_key(std::string_view target) {
  std::string_view path = target.substr(0, target.find_first_of("?#"));
  if (path.empty() || path.front() != '/') return std::nullopt;
  path.remove_prefix(1);
  if (path.empty()) return "index.html";
  if (path.size() > max_key_size) return std::nullopt;
  std::size_t part_start = 0;
  for (std::size_t i = 0; i <= path.size(); ++i) {
    if (i < path.size() && path[i] != '/') {
      if (!plain_name_char(path[i])) return std::nullopt;
      continue;
    }
    auto part = path.substr(part_start, i - part_start);
    // An empty part is "//" (an absolute path once joined) or a trailing slash; a part
    // starting with '.' is ".", "..", or a hidden file.
    if (part.empty() || part.front() == '.') return std::nullopt;
    part_start = i + 1;
  }
  return std::string(path);
}

console_files::console_files(const fs::path& root, const fs::path& database_folder) {
  std::error_code ec;
  auto real_root = fs::canonical(root, ec);
  if (ec) {
    skipped_.push_back(root.string() + ": " + ec.message());
    return;
  }
  auto real_database_folder = fs::weakly_canonical(database_folder, ec);
  if (ec) real_database_folder.clear();
  for (auto it = fs::recursive_directory_iterator(real_root, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    auto key = it->path().lexically_relative(real_root).generic_string();
    auto real = fs::canonical(it->path(), ec);
    if (ec) {
      skipped_.push_back(key + ": " + ec.message());
      ec.clear();
      continue;
    }
    if (!is_within(real, real_root)) {
      skipped_.push_back(key + ": leads outside the console folder");
      continue;
    }
    if (!fs::is_regular_file(real, ec)) continue;
    // SQLite keeps all its files (-wal, -shm, -journal) beside the database.
    if (!real_database_folder.empty() && real.parent_path() == real_database_folder) {
      skipped_.push_back(key + ": in the database's folder (keep the database apart from the console)");
      continue;
    }
    if (console_file_key("/" + key) != key) continue;
    if (fs::file_size(real, ec) > max_file_size) {
      skipped_.push_back(key + ": over 8 MiB");
      continue;
    }
    std::ifstream in(real, std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    if (!in) {
      skipped_.push_back(key + ": could not be read");
      continue;
    }
    files_.emplace(key, static_file{body.str(), content_type_for(real)});
  }
  if (ec) skipped_.push_back(root.string() + ": " + ec.message());
}

const static_file* console_files::find(std::string_view target) const {
  auto key = console_file_key(target);
  if (!key) return nullptr;
  auto it = files_.find(*key);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace lantern
