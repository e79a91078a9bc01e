#include "web/web_server.hpp"

#include "web/http_session.hpp"

namespace lantern {

web_server::web_server(net::any_io_executor io, web_context& context, const net::ip::tcp::endpoint& at)
    : context_(context), listener_(io, at, "console", context_.log, [this](net::ip::tcp::socket socket) {
        start_http_session(std::move(socket), context_);
      }) {}

}  // namespace lantern
