#pragma once
// Answers every plain HTTP request of the console port: login and logout, who am I,
// /metrics, /healthz and the console's static files. /ws is upgraded by http_session.

#include "web/web_context.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <optional>
#include <string>

namespace lantern {

namespace http = boost::beast::http;
using http_request = http::request<http::string_body>;
using http_response = http::response<http::string_body>;

// `source`: the peer's address, for the login throttle.
net::awaitable<http_response> handle_request(const http_request& request, web_context& context,
                                             const std::string& source);

// A copy of the operator's account, read under the records' lock; nothing when there is none.
std::optional<operator_account> find_operator(web_context& context, const std::string& username);

// The logged-in operator's account (a copy), if any.
std::optional<operator_account> logged_in_account(const http_request& request, web_context& context);

// The logged-in operator behind the request's session cookie, if any.
std::optional<std::string> logged_in_user(const http_request& request, web_context& context);
// The login session token the request's cookie carries ("" when none).
std::string login_token(const http_request& request);

// A browser request from another site's page carries that site's Origin: refuse it.
bool from_foreign_origin(const http_request& request);

// The value of `key` in the target's query string, percent-decoded ('+' is a space); "" when absent.
std::string query_value(std::string_view target, std::string_view key);

http_response json_response(http::status status, std::string body, const http_request& request);
// nosniff, a CSP that forbids framing, no referrer: on every response of the console port.
void add_security_headers(http_response& response);
// Whether the Host header names this server (loopback, the bound address or the public
// URL's host): a DNS-rebinding page names its own.
bool host_allowed(const http_request& request, const web_context& context);
// "Example.org:8080" -> "example.org", "[::1]:80" -> "[::1]": how allowed_hosts are spelt.
std::string host_name(std::string_view host_and_port);
std::string json_error(std::string_view message, std::string_view field = {});

}  // namespace lantern
