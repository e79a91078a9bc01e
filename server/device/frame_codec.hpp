#pragma once
// The device link's framing: a 4-byte big-endian length N (1..65536), then N bytes of one
// protobuf message. Pure functions over bytes, shared by the server, the simulator and
// the fuzzer.

#include "device.pb.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>

namespace lantern::device_link {

constexpr std::size_t header_size = 4;
constexpr std::size_t max_frame_size = 65536;
constexpr std::size_t max_detail_size = 1000;

struct frame_error {
  std::string reason;  // e.g. "frame length 70000 is over the 65536-byte limit"
};

// The payload length a header announces, or why it is not acceptable.
std::variant<std::size_t, frame_error> read_frame_length(std::span<const std::uint8_t, header_size> header);

// Decodes one payload; a message with no body set is an error too.
template <typename Message>
std::variant<Message, frame_error> decode_message(std::span<const std::uint8_t> payload);

// The frame (header and payload) carrying `message`.
std::string encode_frame(const google::protobuf::MessageLite& message);

// Why an alarm from a device cannot be accepted, if it cannot; checked before storing.
std::optional<std::string> alarm_problem(const lantern::device::v1::Alarm& alarm);

// Splits a byte stream into frames as it arrives: for clients and for fuzzing the whole
// path from raw bytes.
class frame_splitter {
 public:
  void feed(std::span<const std::uint8_t> bytes);
  // The next whole payload, an error (the stream cannot go on), or nothing yet.
  std::optional<std::variant<std::string, frame_error>> next();
  // The next whole frame decoded as a `Message`, an error (framing or decoding: the stream
  // cannot go on), or nothing yet.
  template <typename Message>
  std::optional<std::variant<Message, frame_error>> next_message() {
    auto frame = next();
    if (!frame) return std::nullopt;
    if (auto* error = std::get_if<frame_error>(&*frame)) return *error;
    const auto& payload = std::get<std::string>(*frame);
    return decode_message<Message>(std::span(reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size()));
  }
  // Bytes of an unfinished frame are waiting (the peer stopped mid-frame).
  bool holds_partial_frame() const { return buffer_.size() > consumed_; }

 private:
  std::string buffer_;
  std::size_t consumed_ = 0;
};

}  // namespace lantern::device_link
