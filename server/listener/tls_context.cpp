#include "listener/tls_context.hpp"

#include <openssl/x509.h>

#include <ctime>
#include <stdexcept>

namespace lantern {

namespace ssl = boost::asio::ssl;

std::shared_ptr<ssl::context> make_tls_context(const std::string& cert_file, const std::string& key_file,
                                               const std::string& client_ca) {
  auto tls = std::make_shared<ssl::context>(ssl::context::tls_server);
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
  if (!client_ca.empty()) {
    tls->load_verify_file(client_ca, ec);
    if (ec) throw std::runtime_error("--device-tls-client-ca " + client_ca + ": " + ec.message());
    tls->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  }
  // 100,000 idle links would otherwise each hold OpenSSL's read and write buffers.
  SSL_CTX_set_mode(tls->native_handle(), SSL_MODE_RELEASE_BUFFERS);
  return tls;
}

std::int64_t certificate_expiry_s(ssl::context& tls) {
  X509* cert = SSL_CTX_get0_certificate(tls.native_handle());
  if (cert == nullptr) return 0;
  std::tm expiry{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &expiry) != 1) return 0;
  return static_cast<std::int64_t>(timegm(&expiry));
}

tls_certificate::tls_certificate(std::string cert_file, std::string key_file, std::string client_ca)
    : cert_file_(std::move(cert_file)), key_file_(std::move(key_file)), client_ca_(std::move(client_ca)) {
  auto first = make_tls_context(cert_file_, key_file_, client_ca_);
  expiry_s_ = certificate_expiry_s(*first);
  current_.store(std::move(first));
}

std::string tls_certificate::reload() {
  try {
    auto next = make_tls_context(cert_file_, key_file_, client_ca_);
    expiry_s_ = certificate_expiry_s(*next);
    current_.store(std::move(next));
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace lantern
