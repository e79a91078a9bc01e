#include "console_client.hpp"

#include <atomic>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <sys/socket.h>

#include <chrono>
#include <deque>
#include <map>
#include <set>
#include <stdexcept>

namespace lantern::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

namespace {

void set_receive_timeout(net::ip::tcp::socket& socket, int seconds) {
  timeval timeout{seconds, 0};
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

}  // namespace

http_answer http_request(unsigned short port, const std::string& method, const std::string& target,
                         const std::string& body, const std::string& cookie, const std::string& content_type,
                         const std::string& from) {
  net::io_context io;
  net::ip::tcp::socket socket(io);
  if (!from.empty()) {
    socket.open(net::ip::tcp::v4());
    socket.bind({net::ip::make_address(from), 0});
  }
  socket.connect({net::ip::make_address("127.0.0.1"), port});
  set_receive_timeout(socket, 10);
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  request.set(http::field::content_type, content_type);
  if (!cookie.empty()) request.set(http::field::cookie, cookie);
  request.body() = body;
  request.prepare_payload();
  http::write(socket, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  std::string headers;
  for (const auto& field : response)
    headers += std::string(field.name_string()) + ": " + std::string(field.value()) + "\n";
  return {static_cast<int>(response.result_int()), response.body(), std::string(response[http::field::set_cookie]),
          std::string(response[http::field::retry_after]), headers};
}

std::string login(unsigned short port, const std::string& username, const std::string& password) {
  auto answer =
      http_request(port, "POST", "/api/v1/login",
                   boost::json::serialize(boost::json::object{{"username", username}, {"password", password}}));
  if (answer.status != 200) throw std::runtime_error("login refused: " + answer.body);
  return answer.set_cookie.substr(0, answer.set_cookie.find(';'));
}

int websocket_upgrade_status(unsigned short port, const std::string& cookie, const std::string& origin,
                             const std::string& target) {
  net::io_context io;
  websocket::stream<net::ip::tcp::socket> ws(io);
  ws.next_layer().connect({net::ip::make_address("127.0.0.1"), port});
  set_receive_timeout(ws.next_layer(), 10);
  ws.set_option(websocket::stream_base::decorator([&](websocket::request_type& request) {
    if (!cookie.empty()) request.set(http::field::cookie, cookie);
    if (!origin.empty()) request.set(http::field::origin, origin);
  }));
  websocket::response_type response;
  boost::system::error_code ec;
  ws.handshake(response, "127.0.0.1:" + std::to_string(port), target, ec);
  return static_cast<int>(response.result_int());
}

struct console_client::impl {
  net::io_context io;
  websocket::stream<net::ip::tcp::socket> ws{io};
  std::deque<boost::json::value> skipped;  // passed over while waiting for something else
  std::deque<boost::json::value> unread;   // the rest of the last frame read
  bool ended = false;                      // the server closed the socket
  // The read in progress, kept across calls: cancelling a WebSocket read fails the stream
  // for good, so a wait that ends with nothing (5 s of silence) leaves it to the next call.
  beast::flat_buffer buffer;
  bool reading = false;
  bool read_done = false;
  boost::system::error_code read_error;
  // Each case as this console last had it, to fill in a partial update (as the page does).
  std::map<std::string, boost::json::object> cases;

  void fill_in(boost::json::value& message);
};

// A partial update leaves out the fields the console already has as they are: they are
// filled in from its last copy (and those in `cleared` dropped), so that tests read whole
// cases. `partial` and `cleared` stay, for the tests of what an update leaves out.
void console_client::impl::fill_in(boost::json::value& message) {
  auto& m = message.as_object();
  if (auto* snapshot = m.if_contains("snapshot")) {
    cases.clear();
    for (const char* list : {"cases", "recently_resolved"})
      if (const auto* all = snapshot->as_object().if_contains(list))
        for (const auto& c : all->as_array()) cases[std::string(c.at("case_id").as_string())] = c.as_object();
    return;
  }
  auto* update = m.if_contains("update");
  if (!update) return;
  auto& c = update->as_object().at("case").as_object();
  auto& mine = cases[std::string(c.at("case_id").as_string())];
  if (const auto* partial = c.if_contains("partial"); partial && partial->as_bool()) {
    std::set<std::string> cleared;
    if (const auto* names = c.if_contains("cleared"))
      for (const auto& name : names->as_array()) cleared.insert(std::string(name.as_string()));
    // What describes an update itself is not the case's, and is never carried over.
    for (const char* own : {"partial", "cleared", "timeline_from"}) cleared.insert(own);
    for (const auto& [key, value] : mine)
      if (!c.contains(key) && !cleared.contains(std::string(key))) c[key] = value;
  }
  mine = c;
}

console_client::console_client(unsigned short port, const std::string& cookie, int receive_buffer,
                               const std::string& target)
    : impl_(std::make_unique<impl>()) {
  if (receive_buffer > 0) {
    impl_->ws.next_layer().open(net::ip::tcp::v4());
    impl_->ws.next_layer().set_option(net::socket_base::receive_buffer_size(receive_buffer));
  }
  impl_->ws.next_layer().connect({net::ip::make_address("127.0.0.1"), port});
  set_receive_timeout(impl_->ws.next_layer(), 5);
  impl_->ws.set_option(websocket::stream_base::decorator(
      [cookie](websocket::request_type& request) { request.set(http::field::cookie, cookie); }));
  impl_->ws.handshake("127.0.0.1:" + std::to_string(port), target);
}

console_client::~console_client() {
  boost::system::error_code ignored;
  impl_->ws.next_layer().close(ignored);
  impl_->io.restart();
  impl_->io.run();  // lets a read in progress end, aborted
}

std::optional<boost::json::value> console_client::next() {
  if (!impl_->skipped.empty()) {
    auto message = std::move(impl_->skipped.front());
    impl_->skipped.pop_front();
    return message;
  }
  return read();
}

std::optional<boost::json::value> console_client::read() {
  if (!impl_->unread.empty()) {
    auto message = std::move(impl_->unread.front());
    impl_->unread.pop_front();
    return message;
  }
  // Asynchronous with a deadline: a blocking read falls back to poll() with no timeout
  // once SO_RCVTIMEO fires, and a test waiting for a message that never comes would hang.
  if (!impl_->reading) {
    impl_->buffer.clear();
    impl_->reading = true;
    impl_->read_done = false;
    impl_->ws.async_read(impl_->buffer, [state = impl_.get()](boost::system::error_code e, std::size_t) {
      state->read_error = e;
      state->read_done = true;
    });
  }
  impl_->io.restart();
  impl_->io.run_for(std::chrono::seconds(5));
  if (!impl_->read_done) return std::nullopt;  // still reading: the next call goes on with it
  impl_->reading = false;
  if (impl_->read_error) {
    impl_->ended = true;
    return std::nullopt;
  }
  const auto& buffer = impl_->buffer;
  // A frame holds one or more messages, one per line: the first now, the rest next.
  auto text = beast::buffers_to_string(buffer.data());
  std::vector<boost::json::value> messages;
  for (std::size_t start = 0; start <= text.size();) {
    auto end = std::min(text.find('\n', start), text.size());
    messages.push_back(boost::json::parse(std::string_view(text).substr(start, end - start)));
    impl_->fill_in(messages.back());
    start = end + 1;
  }
  impl_->unread.insert(impl_->unread.end(), std::make_move_iterator(messages.begin() + 1),
                       std::make_move_iterator(messages.end()));
  return std::move(messages.front());
}

std::optional<boost::json::value> console_client::next_update_where(
    const std::function<bool(const boost::json::object&)>& predicate) {
  return next_where([&](const boost::json::object& m) {
    const auto* update = m.if_contains("update");
    return update && predicate(update->as_object().at("case").as_object());
  });
}

std::optional<boost::json::value> console_client::next_where(
    const std::function<bool(const boost::json::object&)>& predicate) {
  // What was passed over before may be what is wanted now; the rest keeps its order.
  auto& skipped = impl_->skipped;
  for (auto it = skipped.begin(); it != skipped.end(); ++it) {
    if (!predicate(it->as_object())) continue;
    auto message = std::move(*it);
    skipped.erase(it);
    return message;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    auto message = read();
    if (!message) return std::nullopt;
    if (predicate(message->as_object())) return message;
    skipped.push_back(std::move(*message));
  }
  return std::nullopt;
}

std::string console_client::result_of(const std::string& request_id) {
  auto result = next_where([&](const boost::json::object& m) {
    const auto* id = m.if_contains("request_id");
    return m.contains("type") && id && id->as_string() == request_id;
  });
  if (!result) return "(no result)";
  const auto& r = result->as_object();
  return r.at("ok").as_bool() ? "" : std::string(r.at("error").as_string());
}

std::string console_client::command(boost::json::object command) {
  static std::atomic<int> next_request{1};
  std::string request_id = "r" + std::to_string(next_request++);
  command["request_id"] = request_id;
  send(boost::json::serialize(command));
  return result_of(request_id);
}

void console_client::send(const std::string& text) { impl_->ws.write(net::buffer(text)); }

bool console_client::closed_by_server() {
  impl_->skipped.clear();
  impl_->unread.clear();
  while (read()) {
  }
  return impl_->ended;
}

}  // namespace lantern::testing
