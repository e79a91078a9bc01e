#include "web/metrics_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace lantern {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
constexpr auto with_error = net::as_tuple(net::use_awaitable);

// One request a connection, as a scraper makes them; a bounded body and 10 s in all.
net::awaitable<void> answer_scrape(beast::tcp_stream stream, metrics& figures) {
  beast::flat_buffer buffer;
  stream.expires_after(std::chrono::seconds(10));
  http::request_parser<http::empty_body> parser;
  auto [ec, n] = co_await http::async_read(stream, buffer, parser, with_error);
  if (ec) co_return;
  const auto& request = parser.get();
  std::string_view target(request.target().data(), request.target().size());
  bool found = target.substr(0, target.find('?')) == "/metrics";
  http::response<http::string_body> response{found ? http::status::ok : http::status::not_found, request.version()};
  response.set(http::field::content_type, found ? "text/plain; version=0.0.4" : "text/plain");
  response.set("X-Content-Type-Options", "nosniff");
  response.body() = found ? figures.render() : "only /metrics is served here\n";
  if (request.method() == http::verb::head) response.body().clear();
  response.keep_alive(false);
  response.prepare_payload();
  co_await http::async_write(stream, response, with_error);
  boost::system::error_code ignored;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
}

}  // namespace

metrics_server::metrics_server(net::any_io_executor io, metrics& figures, const net::ip::tcp::endpoint& at,
                               std::shared_ptr<spdlog::logger> log)
    : figures_(figures), listener_(io, at, "metrics", std::move(log), [this](net::ip::tcp::socket socket) {
        auto executor = socket.get_executor();
        net::co_spawn(executor, answer_scrape(beast::tcp_stream(std::move(socket)), figures_), net::detached);
      }) {}

}  // namespace lantern
