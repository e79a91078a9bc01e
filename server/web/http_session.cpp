#include "web/http_session.hpp"

#include "centre/calendar.hpp"
#include "listener/off_thread.hpp"
#include "web/http_routes.hpp"
#include "web/websocket_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <atomic>
#include <tuple>

namespace lantern {
namespace {

namespace beast = boost::beast;
constexpr auto with_error = net::as_tuple(net::use_awaitable);
constexpr std::size_t max_body_size = 64 * 1024;

http_response plain_error(http::status status, std::string_view message) {
  http_request none;
  auto response = json_response(status, json_error(message), none);
  response.keep_alive(false);
  return response;
}

// While a connection waits for a request it holds a seat in the waiting room: at its caps
// the oldest idle connection is dropped (closed on its own strand).
class waiting_seat {
 public:
  waiting_seat(waiting_room& room, std::uint64_t id, net::ip::address source)
      : room_(room), id_(id), source_(std::move(source)) {}
  ~waiting_seat() { room_.leave(id_); }
  template <class Stream>
  void take(const std::shared_ptr<Stream>& stream) {
    room_.enter(id_, source_, [weak = std::weak_ptr(stream)] {
      auto live = weak.lock();
      if (!live) return;
      net::post(live->get_executor(), [weak] {
        if (auto still = weak.lock()) beast::get_lowest_layer(*still).close();
      });
    });
  }
  void give_up() { room_.leave(id_); }
  bool crowded() const { return room_.crowded(); }

 private:
  waiting_room& room_;
  std::uint64_t id_;
  net::ip::address source_;
};

std::atomic<std::uint64_t> next_connection_id{1};

constexpr const char* hsts = "max-age=31536000";

// Under TLS, browsers are told to use nothing else (the cookie is Secure where it is made).
template <class Stream>
void add_transport_headers(http_response& response) {
  if constexpr (std::is_same_v<Stream, tls_stream>) response.set(http::field::strict_transport_security, hsts);
}

// A free function taking its arguments by value: the coroutine frame owns them. `Stream`:
// beast::tcp_stream, or tls_stream (its handshake done here, inside the waiting room).
template <class Stream>
net::awaitable<void> serve(std::shared_ptr<Stream> connection, web_context& context) {
  auto& stream = *connection;
  auto& tcp = beast::get_lowest_layer(stream);
  boost::system::error_code no_peer;
  auto peer = tcp.socket().remote_endpoint(no_peer).address();
  auto source = peer.to_string();
  waiting_seat seat(context.http_waiting, next_connection_id++, peer);
  auto write = [&](http_response& response) {
    add_transport_headers<Stream>(response);
    return http::async_write(stream, response, with_error);
  };
  if constexpr (std::is_same_v<Stream, tls_stream>) {
    // A handshake that never completes holds a seat like a request that never comes: at the
    // room's caps the oldest is dropped, and it has the same time to finish.
    seat.take(connection);
    tcp.expires_after(std::chrono::seconds(seat.crowded() ? 2 : 10));
    auto [ec] = co_await stream.async_handshake(net::ssl::stream_base::server, with_error);
    if (ec) {
      context.figures.tls_handshakes_failed.Increment();
      context.log->debug("TLS handshake from {} failed: {}", source, ec.message());
      co_return;
    }
  }
  beast::flat_buffer buffer;
  for (;;) {
    seat.take(connection);
    // Headers within 10 s (2 s when idle connections crowd the port), then the body.
    tcp.expires_after(std::chrono::seconds(seat.crowded() ? 2 : 10));
    http::request_parser<http::string_body> parser;
    parser.body_limit(max_body_size);
    auto [header_ec, header_n] = co_await http::async_read_header(stream, buffer, parser, with_error);
    boost::system::error_code ec = header_ec;
    if (!ec) {
      seat.give_up();
      tcp.expires_after(std::chrono::seconds(30));
      std::tie(ec, std::ignore) = co_await http::async_read(stream, buffer, parser, with_error);
    }
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted) break;
    if (ec) {
      auto status = ec == http::error::body_limit ? http::status::payload_too_large : http::status::bad_request;
      auto response = plain_error(status, status == http::status::payload_too_large
                                              ? "the request body is over 64 KiB"
                                              : "the request could not be read: " + ec.message());
      co_await write(response);
      break;
    }
    auto request = parser.release();
    if (!host_allowed(request, context)) {
      auto refusal =
          json_response(http::status::misdirected_request,
                        json_error("this server does not answer to that host name: use its public URL"), request);
      refusal.keep_alive(false);
      co_await write(refusal);
      break;
    }

    if (beast::websocket::is_upgrade(request)) {
      std::optional<std::string> username;
      http_response refusal;
      // A carer's page: its link token opens that one attempt and nothing else.
      if (request.target().starts_with("/ws?carer=") && !from_foreign_origin(request)) {
        std::string token(std::string_view(request.target()).substr(std::string_view("/ws?carer=").size()));
        // The Argon2id check runs off the I/O threads, like a password's.
        auto open_link = [&links = context.links, token] { return links.open(token, now_ms()); };
        auto link = co_await off_thread(context.staff_executor, std::move(open_link));
        if (link) {
          tcp.expires_never();
          start_carer_session(std::move(stream), context, std::move(*link), std::move(request));
          co_return;
        }
        refusal =
            json_response(http::status::forbidden,
                          json_error("this link has expired or is not valid: call the monitoring centre"), request);
        refusal.keep_alive(false);
        co_await write(refusal);
        break;
      }
      if (request.target() != "/ws")
        refusal = json_response(http::status::not_found, json_error("WebSockets are served at /ws"), request);
      else if (from_foreign_origin(request))
        refusal = json_response(http::status::forbidden, json_error("requests from other sites are refused"), request);
      else if (!(username = logged_in_user(request, context)))
        refusal = json_response(http::status::unauthorized, json_error("log in first"), request);
      if (!username) {
        refusal.keep_alive(false);
        co_await write(refusal);
        break;
      }
      tcp.expires_never();  // the WebSocket keeps its own timeouts
      start_websocket_session(std::move(stream), context, *username, std::move(request));
      co_return;
    }

    auto response = co_await handle_request(request, context, source);
    if (request.method() == http::verb::head) response.body().clear();
    auto [write_ec, written] = co_await write(response);
    if (write_ec || !response.keep_alive()) break;
  }
  if constexpr (std::is_same_v<Stream, tls_stream>) {
    tcp.expires_after(std::chrono::seconds(2));  // a close_notify, not a wait on the peer's
    co_await stream.async_shutdown(with_error);
  } else {
    boost::system::error_code ignored;
    tcp.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  }
}

}  // namespace

void start_http_session(net::ip::tcp::socket socket, web_context& context) {
  auto executor = socket.get_executor();
  if (context.tls != nullptr) {
    // The certificate in force now. A reload on SIGHUP may replace it while this connection
    // lives: OpenSSL's own count on the context keeps it alive for the connection's sake.
    auto certificate = context.tls->current();
    auto stream = std::make_shared<tls_stream>(beast::tcp_stream(std::move(socket)), *certificate);
    net::co_spawn(executor, serve(std::move(stream), context), net::detached);
  } else {
    net::co_spawn(executor, serve(std::make_shared<beast::tcp_stream>(std::move(socket)), context), net::detached);
  }
}

}  // namespace lantern
