#include "device/frame_codec.hpp"

#include <gtest/gtest.h>

namespace lantern::device_link {
namespace {

namespace v1 = lantern::device::v1;

std::array<std::uint8_t, 4> header_for(std::uint32_t length) {
  return {std::uint8_t(length >> 24), std::uint8_t(length >> 16), std::uint8_t(length >> 8), std::uint8_t(length)};
}

std::span<const std::uint8_t> bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

v1::DeviceMessage alarm(std::uint64_t seq, const std::string& type) {
  v1::DeviceMessage m;
  m.mutable_alarm()->set_seq(seq);
  m.mutable_alarm()->set_type(type);
  return m;
}

TEST(FrameCodec, AnEmptyFrameIsRefused) {
  auto result = read_frame_length(header_for(0));
  ASSERT_TRUE(std::holds_alternative<frame_error>(result));
  EXPECT_NE(std::get<frame_error>(result).reason.find("length 0"), std::string::npos);
}

TEST(FrameCodec, AFrameOverTheLimitIsRefusedBeforeItsBodyIsRead) {
  auto result = read_frame_length(header_for(max_frame_size + 1));
  ASSERT_TRUE(std::holds_alternative<frame_error>(result));
  EXPECT_NE(std::get<frame_error>(result).reason.find("65536"), std::string::npos);
  EXPECT_TRUE(std::holds_alternative<frame_error>(read_frame_length(header_for(0xFFFFFFFF))));
}

TEST(FrameCodec, AFrameAtTheLimitIsAccepted) {
  auto result = read_frame_length(header_for(max_frame_size));
  ASSERT_TRUE(std::holds_alternative<std::size_t>(result));
  EXPECT_EQ(std::get<std::size_t>(result), max_frame_size);
}

TEST(FrameCodec, AnEncodedMessageDecodesToTheSameMessage) {
  auto frame = encode_frame(alarm(42, "fall"));
  ASSERT_GT(frame.size(), header_size);
  auto length = read_frame_length(std::span<const std::uint8_t, 4>(bytes(frame).first<4>()));
  ASSERT_EQ(std::get<std::size_t>(length), frame.size() - header_size);
  auto decoded = decode_message<v1::DeviceMessage>(bytes(frame).subspan(header_size));
  ASSERT_TRUE(std::holds_alternative<v1::DeviceMessage>(decoded));
  EXPECT_EQ(std::get<v1::DeviceMessage>(decoded).alarm().seq(), 42u);
  EXPECT_EQ(std::get<v1::DeviceMessage>(decoded).alarm().type(), "fall");
}

TEST(FrameCodec, GarbageIsNotADeviceMessage) {
  std::string garbage("\xff\xff\xff\xff\xff\xff", 6);
  EXPECT_TRUE(std::holds_alternative<frame_error>(decode_message<v1::DeviceMessage>(bytes(garbage))));
}

TEST(FrameCodec, AMessageWithNoBodyIsRefused) {
  v1::DeviceMessage empty;
  std::string payload = empty.SerializeAsString() + std::string("\x28\x01", 2);  // unknown field 5 only
  auto decoded = decode_message<v1::DeviceMessage>(bytes(payload));
  ASSERT_TRUE(std::holds_alternative<frame_error>(decoded));
  EXPECT_NE(std::get<frame_error>(decoded).reason.find("no body"), std::string::npos);
}

TEST(FrameCodec, TheSplitterReassemblesAFrameFedOneByteAtATime) {
  auto frame = encode_frame(alarm(7, "pendant"));
  frame_splitter splitter;
  for (std::size_t i = 0; i + 1 < frame.size(); ++i) {
    splitter.feed(bytes(frame).subspan(i, 1));
    EXPECT_FALSE(splitter.next().has_value()) << "a frame came out after " << i + 1 << " bytes";
  }
  EXPECT_TRUE(splitter.holds_partial_frame());
  splitter.feed(bytes(frame).subspan(frame.size() - 1));
  auto next = splitter.next();
  ASSERT_TRUE(next && std::holds_alternative<std::string>(*next));
  EXPECT_EQ(std::get<std::string>(*next), frame.substr(header_size));
  EXPECT_FALSE(splitter.holds_partial_frame());
}

TEST(FrameCodec, TheSplitterYieldsEveryFrameOfOneRead) {
  std::string stream = encode_frame(alarm(1, "fall")) + encode_frame(alarm(2, "smoke")) + encode_frame(alarm(3, "co"));
  frame_splitter splitter;
  splitter.feed(bytes(stream));
  for (std::uint64_t seq = 1; seq <= 3; ++seq) {
    auto next = splitter.next();
    ASSERT_TRUE(next && std::holds_alternative<std::string>(*next));
    auto decoded = decode_message<v1::DeviceMessage>(bytes(std::get<std::string>(*next)));
    EXPECT_EQ(std::get<v1::DeviceMessage>(decoded).alarm().seq(), seq);
  }
  EXPECT_FALSE(splitter.next().has_value());
}

TEST(FrameCodec, TheSplitterReportsAnOversizedHeaderAtOnce) {
  frame_splitter splitter;
  auto header = header_for(1u << 30);
  splitter.feed(header);
  auto next = splitter.next();
  ASSERT_TRUE(next && std::holds_alternative<frame_error>(*next));
}

TEST(FrameCodec, AlarmsAreCheckedBeforeStoring) {
  EXPECT_FALSE(alarm_problem(alarm(1, "fall").alarm()));
  EXPECT_NE(alarm_problem(alarm(0, "fall").alarm())->find("seq"), std::string::npos);
  EXPECT_NE(alarm_problem(alarm(1, "smok").alarm())->find("unknown alarm type 'smok'"), std::string::npos);
  EXPECT_TRUE(alarm_problem(alarm(1, "missed_checkin").alarm()));
  auto long_detail = alarm(1, "temperature");
  long_detail.mutable_alarm()->set_detail(std::string(max_detail_size + 1, 'x'));
  EXPECT_NE(alarm_problem(long_detail.alarm())->find("detail"), std::string::npos);
  EXPECT_TRUE(alarm_problem(alarm(std::uint64_t(1) << 63, "fall").alarm()));
}

}  // namespace
}  // namespace lantern::device_link
