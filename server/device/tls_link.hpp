#pragma once
// TLS for one device connection, with OpenSSL working on the socket itself rather than
// through Asio's ssl::stream. Why: that stream keeps four 17 KiB buffers per connection for
// its whole life (80 KiB an idle link, measured), while OpenSSL on the socket with
// SSL_MODE_RELEASE_BUFFERS holds no record buffer while the link is idle. The session waits
// for readiness on the socket as it does on plain TCP and then asks this class to act.

#include <openssl/ssl.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>

namespace lantern {

namespace net = boost::asio;

class tls_link {
 public:
  // `socket` must outlive this and be non-blocking; `tls` is the server's context (SSL_new
  // keeps its own reference, so a reload does not touch open links).
  tls_link(net::ip::tcp::socket& socket, SSL_CTX* tls);
  ~tls_link();
  tls_link(const tls_link&) = delete;
  tls_link& operator=(const tls_link&) = delete;

  // The server side of the handshake, waiting on the socket as it needs to.
  net::awaitable<boost::system::error_code> handshake();
  // Decrypts what has arrived, without waiting: net::error::would_block when a whole record
  // is not there yet (wait for wait_for() and try again), net::error::eof when the peer closed.
  std::size_t read(net::mutable_buffer into, boost::system::error_code& ec);
  // The readiness the last read that would block waits for (a TLS read can need to write).
  net::socket_base::wait_type wait_for() const { return read_wait_; }
  // Decrypted bytes still held by OpenSSL: read again before waiting on the socket.
  bool pending() const { return SSL_pending(ssl_) > 0; }
  // Encrypts and writes all of `what`, waiting on the socket as it needs to.
  net::awaitable<boost::system::error_code> write(net::const_buffer what);

 private:
  // What SSL_get_error says about a result, as an error code: would_block, with `wait` set
  // to the readiness to wait for.
  boost::system::error_code outcome(int result, net::socket_base::wait_type& wait);

  net::ip::tcp::socket& socket_;
  SSL* ssl_;
  net::socket_base::wait_type read_wait_ = net::socket_base::wait_read;
};

}  // namespace lantern
