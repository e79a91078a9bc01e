#include "sim_link.hpp"

#include <boost/asio/write.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <stdexcept>

namespace lantern::sim {

std::shared_ptr<net::ssl::context> make_client_tls(const std::string& ca_file, const std::string& cert_file,
                                                   const std::string& key_file) {
  auto tls = std::make_shared<net::ssl::context>(net::ssl::context::tls_client);
  tls->set_options(net::ssl::context::no_sslv2 | net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                   net::ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  if (ca_file.empty())
    tls->set_default_verify_paths(ec);
  else
    tls->load_verify_file(ca_file, ec);
  if (ec) throw std::runtime_error("--tls-ca " + ca_file + ": " + ec.message());
  tls->set_verify_mode(net::ssl::verify_peer);
  if (!cert_file.empty()) {
    tls->use_certificate_chain_file(cert_file, ec);
    if (ec) throw std::runtime_error("--tls-cert " + cert_file + ": " + ec.message());
    tls->use_private_key_file(key_file, net::ssl::context::pem, ec);
    if (ec) throw std::runtime_error("--tls-key " + key_file + ": " + ec.message());
  }
  return tls;
}

sim_link::sim_link(net::any_io_executor strand, net::ssl::context* tls) : socket_(strand) {
  if (tls != nullptr) tls_ = std::make_unique<net::ssl::stream<net::ip::tcp::socket>>(strand, *tls);
}

net::awaitable<bool> sim_link::handshake() {
  if (!tls_) co_return true;
  auto [ec] = co_await tls_->async_handshake(net::ssl::stream_base::client, with_error);
  noted({ec, 0});
  co_return !ec;
}

sim_link::result sim_link::noted(result r) {
  auto& ec = std::get<0>(r);
  if (!ec || ec.category() != net::error::get_ssl_category()) return r;
  // Only a certificate refused, either way: other failures (a link dropped in a storm) are retried.
  switch (ERR_GET_REASON(static_cast<unsigned long>(ec.value()))) {
    case SSL_R_CERTIFICATE_VERIFY_FAILED:
    case SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED:
    case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
    case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
    case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE:
      tls_refusal_ = ec.message();
  }
  return r;
}

net::awaitable<sim_link::result> sim_link::read_some(net::mutable_buffer into) {
  if (tls_) co_return noted(co_await tls_->async_read_some(into, with_error));
  co_return co_await socket_.async_read_some(into, with_error);
}

net::awaitable<sim_link::result> sim_link::write(net::const_buffer what) {
  if (tls_) co_return noted(co_await net::async_write(*tls_, what, with_error));
  co_return co_await net::async_write(socket_, what, with_error);
}

void sim_link::close() {
  boost::system::error_code ignored;
  socket().close(ignored);
}

}  // namespace lantern::sim
