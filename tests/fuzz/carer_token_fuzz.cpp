// libFuzzer target: any token in a carer's link (/carer/<token>, /ws?carer=<token>). Only the
// one real token opens its link; no other text does, and none crashes.
#include "centre/secrets.hpp"
#include "escalation/carer_links.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lantern;
  static const std::string secret = "9f2c41d0a7be53e8c6f1";
  static carer_links* links = [] {
    auto* made = new carer_links;
    made->add("4f1a", carer_link_entry{42, 1, "carer-sarah", hash_device_token(secret), 2'000'000'000'000}, 0);
    return made;
  }();
  std::string_view token(reinterpret_cast<const char*>(data), size);
  auto opened = links->open(token, 1'764'511'402'000);
  if (opened && token != "4f1a." + secret) std::abort();
  return 0;
}
