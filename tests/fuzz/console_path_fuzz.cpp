// libFuzzer target: any request target through the console's path resolver. A key it
// returns must be a plain relative path that cannot leave the console folder; anything
// else is a finding (the process aborts).
#include "web/console_files.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view target(reinterpret_cast<const char*>(data), size);
  auto key = lantern::console_file_key(target);
  if (!key) return 0;
  std::filesystem::path relative(*key);
  if (key->empty() || relative.is_absolute() || relative.has_root_name() || relative.has_root_directory()) std::abort();
  for (const auto& part : relative) {
    auto text = part.string();
    if (text.empty() || text == "." || text == ".." || text.front() == '.') std::abort();
  }
  for (char c : *key)
    if (c == '\\' || c == '%' || static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
      std::abort();
  // Joined to a root, it stays below it.
  auto joined = (std::filesystem::path("/console") / relative).lexically_normal();
  if (joined.string().rfind("/console/", 0) != 0) std::abort();
  return 0;
}
