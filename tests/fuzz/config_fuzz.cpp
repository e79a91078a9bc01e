// libFuzzer target: any text as lantern.toml (--config). Either the settings it gives or an
// error naming the line, the key or the value; a crash, hang or leak is a finding.
#include "escalation/escalation_config.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  lantern::escalation_config config;
  auto error = lantern::parse_config_text({reinterpret_cast<const char*>(data), size}, "lantern.toml", config);
  if (error && error->empty()) std::abort();  // a refusal always says why
  return 0;
}
