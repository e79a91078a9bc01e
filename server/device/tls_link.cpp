#include "device/tls_link.hpp"

#include <openssl/err.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <stdexcept>

namespace lantern {

namespace {
constexpr auto with_error = net::as_tuple(net::use_awaitable);
}

tls_link::tls_link(net::ip::tcp::socket& socket, SSL_CTX* tls) : socket_(socket), ssl_(SSL_new(tls)) {
  if (ssl_ == nullptr) throw std::runtime_error("TLS: no memory for a connection");
  SSL_set_fd(ssl_, static_cast<int>(socket_.native_handle()));
  // Partial writes: a full socket returns what was taken, and the rest is written after the wait.
  SSL_set_mode(ssl_, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

tls_link::~tls_link() { SSL_free(ssl_); }

boost::system::error_code tls_link::outcome(int result, net::socket_base::wait_type& wait) {
  switch (SSL_get_error(ssl_, result)) {
    case SSL_ERROR_NONE:
      return {};
    case SSL_ERROR_WANT_READ:
      wait = net::socket_base::wait_read;
      return net::error::would_block;
    case SSL_ERROR_WANT_WRITE:
      wait = net::socket_base::wait_write;
      return net::error::would_block;
    case SSL_ERROR_ZERO_RETURN:
      return net::error::eof;
    case SSL_ERROR_SYSCALL: {
      unsigned long queued = ERR_get_error();
      if (queued != 0) return {static_cast<int>(queued), net::error::get_ssl_category()};
      if (errno != 0) return {errno, boost::system::system_category()};
      return net::error::eof;  // closed without close_notify, as most devices will
    }
    default: {
      unsigned long queued = ERR_get_error();
      return {static_cast<int>(queued), net::error::get_ssl_category()};
    }
  }
}

// Every call into OpenSSL below first checks that the socket is open. A wait can complete
// just before the session closes the socket, and the kernel can then give its number to a
// new connection: OpenSSL, holding the bare number, would read and write someone else's link.
net::awaitable<boost::system::error_code> tls_link::handshake() {
  for (;;) {
    if (!socket_.is_open()) co_return net::error::operation_aborted;
    ERR_clear_error();  // OpenSSL's error queue is per thread: left-overs would be read as ours
    errno = 0;
    auto wait = net::socket_base::wait_read;
    auto ec = outcome(SSL_accept(ssl_), wait);
    if (ec != net::error::would_block) co_return ec;
    auto [waited] = co_await socket_.async_wait(wait, with_error);
    if (waited) co_return waited;
  }
}

std::size_t tls_link::read(net::mutable_buffer into, boost::system::error_code& ec) {
  if (!socket_.is_open()) {
    ec = net::error::operation_aborted;
    return 0;
  }
  ERR_clear_error();
  errno = 0;
  std::size_t n = 0;
  ec = SSL_read_ex(ssl_, into.data(), into.size(), &n) == 1 ? boost::system::error_code() : outcome(0, read_wait_);
  return n;
}

net::awaitable<boost::system::error_code> tls_link::write(net::const_buffer what) {
  auto* at = static_cast<const char*>(what.data());
  std::size_t left = what.size();
  while (left > 0) {
    if (!socket_.is_open()) co_return net::error::operation_aborted;
    ERR_clear_error();
    errno = 0;
    std::size_t n = 0;
    if (SSL_write_ex(ssl_, at, left, &n) == 1) {
      at += n;
      left -= n;
      continue;
    }
    auto wait = net::socket_base::wait_write;
    auto ec = outcome(0, wait);
    if (ec != net::error::would_block) co_return ec;
    auto [waited] = co_await socket_.async_wait(wait, with_error);
    if (waited) co_return waited;
  }
  co_return boost::system::error_code();
}

}  // namespace lantern
