#pragma once
// One simulated device's connection: plain TCP, or TLS over it (--tls, --tls-ca), behind one
// pair of reads and writes, so the device's logic is the same either way.

#include "sim_net.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <memory>
#include <string>
#include <tuple>

namespace lantern::sim {

// The client side's TLS: the server's certificate checked against `ca_file` (the system's
// roots when empty); `cert_file` and `key_file`, when given, are the certificate the device
// presents. Throws with the file named when one cannot be read.
std::shared_ptr<net::ssl::context> make_client_tls(const std::string& ca_file, const std::string& cert_file = "",
                                                   const std::string& key_file = "");

class sim_link {
 public:
  using result = std::tuple<boost::system::error_code, std::size_t>;
  // `tls`: nothing for plain TCP.
  sim_link(net::any_io_executor strand, net::ssl::context* tls);
  net::ip::tcp::socket& socket() { return tls_ ? tls_->next_layer() : socket_; }
  // After the TCP connect: the TLS handshake (nothing to do on plain TCP).
  net::awaitable<bool> handshake();
  net::awaitable<result> read_some(net::mutable_buffer into);
  net::awaitable<result> write(net::const_buffer what);
  void close();
  // Why TLS refused this link (a certificate not trusted, either way), or "": a refusal
  // that retrying cannot mend, unlike a dropped connection.
  const std::string& tls_refusal() const { return tls_refusal_; }

 private:
  result noted(result r);
  std::string tls_refusal_;
  net::ip::tcp::socket socket_;
  std::unique_ptr<net::ssl::stream<net::ip::tcp::socket>> tls_;
};

}  // namespace lantern::sim
