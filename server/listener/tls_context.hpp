#pragma once
// TLS for a listening port: TLS 1.2 and later only, with the certificate chain and key read
// from PEM files once, at start (before the server gives up root), through Debian's OpenSSL.

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

namespace lantern {

// Throws std::runtime_error naming the file and what is wrong with it.
std::unique_ptr<boost::asio::ssl::context> make_tls_context(const std::string& cert_file, const std::string& key_file);

}  // namespace lantern
