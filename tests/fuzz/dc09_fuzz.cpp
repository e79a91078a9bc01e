// libFuzzer target: arbitrary bytes from a DC-09 sender, through the splitter, the frame
// parser, decryption (with a fixed key), the event readers and the replies, as the receiver
// takes them. Any crash, hang or leak is a finding; so is a piece over the frame limit, or a
// frame taken whose CRC does not hold.
#include "dc09/crc16.hpp"
#include "dc09/crypto.hpp"
#include "dc09/events.hpp"
#include "dc09/frame.hpp"
#include "dc09/reply.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lantern::dc09;
  static const std::string key = *key_bytes("AjaxHubKey123456", key_form::ascii);
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  frame_splitter splitter;
  // Fed in two pieces, as a stream split across reads would arrive.
  std::size_t cut = size > 0 ? data[0] % (size + 1) : 0;
  splitter.feed(bytes.substr(0, cut));
  splitter.feed(bytes.substr(cut));
  while (auto piece = splitter.next()) {
    if (piece->bytes.size() > frame_splitter::max_frame) std::abort();
    if (piece->what != frame_splitter::piece::kind::frame) continue;
    auto parsed = parse_frame(piece->bytes);
    if (parsed.problem != frame_problem::none) {
      (void)make_nak(parsed.value.crc, 0);
      continue;
    }
    auto& f = parsed.value;
    if (f.encrypted && !decrypt(f, key).empty()) continue;
    if (auto events = read_events(f.token, f.data); auto* list = std::get_if<std::vector<unit_event>>(&events))
      for (const auto& e : *list) (void)meaning_of(e);
    // A reply to what was taken is itself a frame whose CRC holds.
    auto ack = make_reply(reply_kind::ack, f, 1'700'000'000'000, f.encrypted ? key : std::string_view{});
    if (parse_frame(ack).problem == frame_problem::bad_crc) std::abort();
  }
  // One frame alone, not through the splitter.
  (void)parse_frame(bytes);
  return 0;
}
