// libFuzzer target: any text as lantern.toml (--config), each setting applied. Either the
// settings or an error naming the line, the key or the value; a crash, hang or leak is a
// finding.
#include "option_table.hpp"
#include "settings_file.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto read = lantern::parse_settings_text({reinterpret_cast<const char*>(data), size}, "lantern.toml");
  if (auto* why = std::get_if<std::string>(&read)) {
    if (why->empty()) std::abort();  // a refusal always says why
    return 0;
  }
  lantern::server_options options;
  for (const auto& [key, value] : std::get<std::vector<lantern::setting>>(read))
    if (auto why = lantern::apply_setting(options, key, value); why && why->empty()) std::abort();
  return 0;
}
