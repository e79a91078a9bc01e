// libFuzzer target: arbitrary bytes from a device, through framing, decoding and the alarm
// checks, exactly as the device session takes them. Any crash, hang or leak is a finding.
#include "device/frame_codec.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lantern::device_link;
  frame_splitter splitter;
  // Feed in two pieces, as a stream split across reads would arrive.
  std::size_t cut = size > 0 ? data[0] % (size + 1) : 0;
  splitter.feed({data, cut});
  splitter.feed({data + cut, size - cut});
  while (auto decoded = splitter.next_message<lantern::device::v1::DeviceMessage>()) {
    // A framing error ends the stream, as the session closes the link; a payload that does
    // not decode does too.
    auto* message = std::get_if<lantern::device::v1::DeviceMessage>(&*decoded);
    if (message == nullptr) break;
    if (message->has_alarm()) (void)alarm_problem(message->alarm());
  }
  return 0;
}
