#pragma once
// What the simulator's devices and alarm units share on the network: awaiting with the
// error as a value, durations in seconds as doubles, connecting from a chosen source
// address (--sources), and the back-off between failed connects.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <optional>

namespace lantern::sim {

namespace net = boost::asio;
using clock = std::chrono::steady_clock;

inline constexpr auto with_error = net::as_tuple(net::use_awaitable);

inline clock::duration seconds(double s) {
  return std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(s));
}

// Opens `socket` bound to `source` (when given) for a connect to `to`; false when it cannot.
inline bool bind_to_source(net::ip::tcp::socket& socket, const net::ip::address& to,
                           const std::optional<net::ip::address>& source) {
  if (!source) return true;
  boost::system::error_code ec;
  socket.open(to.is_v4() ? net::ip::tcp::v4() : net::ip::tcp::v6(), ec);
  // The port is chosen at connect time, per destination: otherwise each source address
  // would still share one pool of ephemeral ports.
  socket.set_option(net::detail::socket_option::boolean<IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT>(true), ec);
  socket.bind({*source, 0}, ec);
  return !ec;
}

// Waits `backoff` after a failed connect, and doubles it up to two seconds.
inline net::awaitable<void> back_off(net::steady_timer& timer, std::chrono::milliseconds& backoff) {
  timer.expires_after(backoff);
  co_await timer.async_wait(with_error);
  backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
}

}  // namespace lantern::sim
