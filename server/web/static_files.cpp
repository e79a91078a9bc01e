#include "web/static_files.hpp"

#include <fstream>
#include <map>
#include <sstream>

namespace lantern {
namespace {

std::string content_type_for(const std::filesystem::path& file) {
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

}  // namespace

std::optional<static_file> load_static_file(const std::filesystem::path& root, std::string_view target) {
  std::string_view path = target.substr(0, target.find_first_of("?#"));
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::string relative(path.substr(1));
  if (relative.empty() || relative.back() == '/') relative += "index.html";
  // No "..", no hidden files, no backslashes or NULs: the path stays inside the folder.
  std::filesystem::path candidate(relative);
  for (const auto& part : candidate) {
    auto text = part.string();
    if (text.empty() || text.front() == '.' || text.find_first_of(std::string("\\\0", 2)) != std::string::npos)
      return std::nullopt;
  }
  auto full = root / candidate;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(full, ec)) return std::nullopt;
  std::ifstream in(full, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream body;
  body << in.rdbuf();
  return static_file{body.str(), content_type_for(full)};
}

}  // namespace lantern
