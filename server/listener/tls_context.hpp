#pragma once
// TLS for a listening port: TLS 1.2 and later only, with the certificate chain and key read
// from PEM files through Debian's OpenSSL. Read at start (before the server gives up root)
// and again on SIGHUP: new connections get the new certificate, open ones keep theirs.

#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace lantern {

// Throws std::runtime_error naming the file and what is wrong with it.
// `client_ca`: when given, a peer must present a certificate that CA signed (devices, on top
// of their token).
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const std::string& cert_file, const std::string& key_file,
                                                            const std::string& client_ca = "");

// When the context's certificate expires, as seconds since the Unix epoch (0 when unknown).
std::int64_t certificate_expiry_s(boost::asio::ssl::context& tls);

// The certificate in force. Thread-safe: sessions take the current one as they start (and
// keep it while they live); a reload swaps it for the next ones.
class tls_certificate {
 public:
  // Throws like make_tls_context.
  tls_certificate(std::string cert_file, std::string key_file, std::string client_ca = "");
  std::shared_ptr<boost::asio::ssl::context> current() const { return current_.load(); }
  // Reads the files again. Returns why not (the old certificate stays), or "".
  std::string reload();
  std::int64_t expiry_s() const { return expiry_s_.load(); }
  const std::string& cert_file() const { return cert_file_; }

 private:
  std::string cert_file_, key_file_, client_ca_;
  std::atomic<std::shared_ptr<boost::asio::ssl::context>> current_;
  std::atomic<std::int64_t> expiry_s_{0};
};

}  // namespace lantern
