// libFuzzer target: any text given to --import as a centre file. It is either taken whole
// or refused with its errors named; a crash, hang or leak is a finding.
#include "centre/centre_parser.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const lantern::centre nothing;
  auto result = lantern::parse_centre_file({reinterpret_cast<const char*>(data), size}, nothing);
  (void)result;
  return 0;
}
