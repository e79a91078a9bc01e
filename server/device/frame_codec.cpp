#include "device/frame_codec.hpp"

#include "centre/alarm_types.hpp"

#include <limits>

namespace lantern::device_link {

namespace v1 = lantern::device::v1;

std::variant<std::size_t, frame_error> read_frame_length(std::span<const std::uint8_t, header_size> header) {
  std::size_t length = (std::size_t(header[0]) << 24) | (std::size_t(header[1]) << 16) | (std::size_t(header[2]) << 8) |
                       std::size_t(header[3]);
  if (length == 0) return frame_error{"empty frame (length 0)"};
  if (length > max_frame_size)
    return frame_error{"frame length " + std::to_string(length) + " is over the " + std::to_string(max_frame_size) +
                       "-byte limit"};
  return length;
}

template <typename Message>
std::variant<Message, frame_error> decode_message(std::span<const std::uint8_t> payload) {
  Message message;
  if (!message.ParseFromArray(payload.data(), static_cast<int>(payload.size())))
    return frame_error{"payload is not a valid " + message.GetTypeName()};
  if (message.body_case() == Message::BODY_NOT_SET) return frame_error{message.GetTypeName() + " has no body"};
  return message;
}

template std::variant<v1::DeviceMessage, frame_error> decode_message<v1::DeviceMessage>(std::span<const std::uint8_t>);
template std::variant<v1::ServerMessage, frame_error> decode_message<v1::ServerMessage>(std::span<const std::uint8_t>);

std::string encode_frame(const google::protobuf::MessageLite& message) {
  std::string frame(header_size, '\0');
  message.AppendToString(&frame);
  auto length = static_cast<std::uint32_t>(frame.size() - header_size);
  frame[0] = static_cast<char>(length >> 24);
  frame[1] = static_cast<char>(length >> 16);
  frame[2] = static_cast<char>(length >> 8);
  frame[3] = static_cast<char>(length);
  return frame;
}

std::optional<std::string> alarm_problem(const v1::Alarm& alarm) {
  if (alarm.seq() == 0) return "alarm seq must be 1 or more";
  // Stored in a signed 64-bit column.
  if (alarm.seq() > std::uint64_t(std::numeric_limits<std::int64_t>::max())) return "alarm seq is too large";
  auto type = parse_alarm_type(alarm.type());
  if (!type) return "unknown alarm type '" + alarm.type().substr(0, 40) + "'";
  if (!device_may_send(*type)) return "alarm type '" + alarm.type() + "' is raised by the centre, not by devices";
  if (alarm.detail().size() > max_detail_size)
    return "detail is " + std::to_string(alarm.detail().size()) + " bytes; the limit is " +
           std::to_string(max_detail_size);
  return std::nullopt;
}

void frame_splitter::feed(std::span<const std::uint8_t> bytes) {
  // Drop what was consumed before growing, so the buffer stays near one frame.
  if (consumed_ > 0) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  buffer_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::optional<std::variant<std::string, frame_error>> frame_splitter::next() {
  std::size_t available = buffer_.size() - consumed_;
  if (available < header_size) return std::nullopt;
  const auto* header = reinterpret_cast<const std::uint8_t*>(buffer_.data() + consumed_);
  auto length = read_frame_length(std::span<const std::uint8_t, header_size>(header, header_size));
  if (auto* error = std::get_if<frame_error>(&length)) return *error;
  std::size_t n = std::get<std::size_t>(length);
  if (available < header_size + n) return std::nullopt;
  std::string payload = buffer_.substr(consumed_ + header_size, n);
  consumed_ += header_size + n;
  if (consumed_ == buffer_.size()) {
    // All taken: give the memory back, since a link mostly waits between small frames.
    buffer_ = std::string();
    consumed_ = 0;
  }
  return payload;
}

}  // namespace lantern::device_link
