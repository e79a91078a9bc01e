#pragma once
// Accepts TCP connections on one endpoint and hands each socket, on its own strand, to a
// callback. Shared by the device gateway and the web server.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <spdlog/logger.h>

#include <functional>
#include <memory>
#include <string>

namespace lantern {

namespace net = boost::asio;

// One socket per connection: lets this process open as many as the system allows, and
// says how many that is.
std::size_t raise_open_file_limit();

class listener {
 public:
  using on_accept = std::function<void(net::ip::tcp::socket)>;

  listener(net::any_io_executor io, const net::ip::tcp::endpoint& at, std::string name,
           std::shared_ptr<spdlog::logger> log, on_accept accepted);
  net::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  void start();
  void stop();

 private:
  net::awaitable<void> accept_loop();

  net::any_io_executor io_;
  net::ip::tcp::acceptor acceptor_;
  std::string name_;
  std::shared_ptr<spdlog::logger> log_;
  on_accept accepted_;
};

}  // namespace lantern
