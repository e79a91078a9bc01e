#pragma once
// One HTTP connection of the console port: reads requests, answers them through
// http_routes, and hands a logged-in, same-origin `/ws` upgrade to a websocket_session.

#include "web/web_context.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <memory>

namespace lantern {

void start_http_session(net::ip::tcp::socket socket, web_context& context);

}  // namespace lantern
