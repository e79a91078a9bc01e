#include "device_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

#include <sys/socket.h>

#include <stdexcept>

namespace lantern::testing {

namespace net = boost::asio;

device_client::device_client(unsigned short port) : socket_(*io_) {
  socket_.connect({net::ip::make_address("127.0.0.1"), port});
  timeval timeout{5, 0};
  setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

void device_client::send(const v1::DeviceMessage& message) { send_raw(device_link::encode_frame(message)); }

void device_client::send_raw(const std::string& bytes) {
  boost::system::error_code ec;
  net::write(socket_, net::buffer(bytes), ec);
}

std::optional<v1::ServerMessage> device_client::receive() {
  for (;;) {
    if (auto decoded = splitter_.next_message<v1::ServerMessage>()) {
      if (!std::holds_alternative<v1::ServerMessage>(*decoded)) return std::nullopt;
      return std::get<v1::ServerMessage>(*decoded);
    }
    std::array<std::uint8_t, 4096> chunk{};
    boost::system::error_code ec;
    auto n = socket_.read_some(net::buffer(chunk), ec);
    if (ec) return std::nullopt;
    splitter_.feed(std::span<const std::uint8_t>(chunk.data(), n));
  }
}

bool device_client::closed_by_server() {
  std::array<std::uint8_t, 256> chunk{};
  boost::system::error_code ec;
  // Drain whatever was sent before the close; a timeout means the link is still open.
  for (int i = 0; i < 100; ++i) {
    socket_.read_some(net::buffer(chunk), ec);
    if (ec == net::error::eof || ec == net::error::connection_reset) return true;
    if (ec) return false;
  }
  return false;
}

v1::ServerMessage device_client::hello(const std::string& device_id, const std::string& token, std::uint64_t epoch) {
  v1::DeviceMessage m;
  m.mutable_hello()->set_device_id(device_id);
  m.mutable_hello()->set_token(token);
  m.mutable_hello()->set_firmware("integration-test");
  m.mutable_hello()->set_epoch(epoch);
  send(m);
  auto answer = receive();
  if (!answer) throw std::runtime_error("no answer to hello");
  return *answer;
}

v1::ServerMessage device_client::alarm(std::uint64_t seq, const std::string& type, const std::string& detail) {
  send(alarm_message(seq, type, detail));
  auto answer = receive();
  if (!answer) throw std::runtime_error("no answer to alarm " + std::to_string(seq));
  return *answer;
}

v1::DeviceMessage alarm_message(std::uint64_t seq, const std::string& type, const std::string& detail) {
  v1::DeviceMessage m;
  m.mutable_alarm()->set_seq(seq);
  m.mutable_alarm()->set_type(type);
  m.mutable_alarm()->set_occurred_at_ms(1'700'000'000'000);
  m.mutable_alarm()->set_detail(detail);
  return m;
}

}  // namespace lantern::testing
