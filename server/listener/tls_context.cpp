#include "listener/tls_context.hpp"

#include <stdexcept>

namespace lantern {

namespace ssl = boost::asio::ssl;

std::unique_ptr<ssl::context> make_tls_context(const std::string& cert_file, const std::string& key_file) {
  auto tls = std::make_unique<ssl::context>(ssl::context::tls_server);
  tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use |
                   ssl::context::no_compression);
  boost::system::error_code ec;
  tls->use_certificate_chain_file(cert_file, ec);
  if (ec) throw std::runtime_error("--tls-cert " + cert_file + ": " + ec.message());
  tls->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec)
    throw std::runtime_error("--tls-key " + key_file + ": " +
                             (ec.message().find("mismatch") != std::string::npos
                                  ? "it does not belong to the certificate in " + cert_file
                                  : ec.message()));
  if (SSL_CTX_check_private_key(tls->native_handle()) != 1)
    throw std::runtime_error("--tls-key " + key_file + ": it does not belong to the certificate in " + cert_file);
  return tls;
}

}  // namespace lantern
