#pragma once
// A device on the real device link, written plainly (blocking, with a receive timeout) so
// each test reads like the conversation it checks.

#include "device/frame_codec.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <optional>
#include <string>

namespace lantern::testing {

namespace v1 = lantern::device::v1;

class device_client {
 public:
  explicit device_client(unsigned short port);

  void send(const v1::DeviceMessage& message);
  void send_raw(const std::string& bytes);
  // The next server message; nothing when the server closed the link or 5 s passed.
  std::optional<v1::ServerMessage> receive();
  // True when the server has closed the connection (read returns end of stream).
  bool closed_by_server();

  v1::ServerMessage hello(const std::string& device_id, const std::string& token, std::uint64_t epoch = 0);
  v1::ServerMessage alarm(std::uint64_t seq, const std::string& type, const std::string& detail = "");

 private:
  std::unique_ptr<boost::asio::io_context> io_ =
      std::make_unique<boost::asio::io_context>();  // held apart so a client can move
  boost::asio::ip::tcp::socket socket_;
  device_link::frame_splitter splitter_;
};

v1::DeviceMessage alarm_message(std::uint64_t seq, const std::string& type, const std::string& detail = "");

}  // namespace lantern::testing
