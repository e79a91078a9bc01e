#pragma once
// The console port's connection under TLS: HTTPS and WSS over Beast's SSL stream.

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace lantern {

using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

}  // namespace lantern
