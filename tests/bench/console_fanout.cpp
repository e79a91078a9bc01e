// lantern-console-bench: how long an alarm takes from a device sending it to every live
// console receiving its update. Opens N WebSocket consoles and D device links to a running
// lantern-server, sends alarms at a fixed rate (each carrying its send time), and prints
// the latency from send to each console's receipt, and the device ack latency, as one
// markdown table row. Device and consoles run in this one process so the clock is shared.
#include "../../sim/fleet.hpp"
#include "device/frame_codec.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;
constexpr auto with_error = net::as_tuple(net::use_awaitable);

struct options {
  std::string centre;
  unsigned short device_port = 7700;
  unsigned short http_port = 8080;
  int consoles = 200;
  int devices = 200;
  int skip = 0;  // use the centre file's devices from this index on
  double rate = 2000;
  double seconds = 10;
  std::string user = "sim-operator";
  std::string password = "sim-operator-password";
  std::string label;
};

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now().time_since_epoch()).count();
}

struct results {
  std::vector<std::int64_t> console_us;  // one per update received while measuring
  std::vector<std::int64_t> ack_us;
  std::uint64_t sent = 0, acked = 0, updates = 0, consoles_ready = 0, devices_ready = 0, consoles_lost = 0;
  std::uint64_t catch_ups = 0;  // snapshots after the first: a console fell behind
  bool measuring = false;       // devices send
  bool counting = false;        // consoles count: while sending, and through the drain after it
  bool stopping = false;
};

// The newest send time in an update: the last "t=<µs>" (the timeline's newest alarm line).
std::int64_t send_time_in(std::string_view message) {
  auto at = message.rfind("t=");
  if (at == std::string_view::npos) return 0;
  std::int64_t t = 0;
  std::from_chars(message.data() + at + 2, message.data() + message.size(), t);
  return t;
}

std::string login(const options& o) {
  net::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), o.http_port));
  http::request<http::string_body> request{http::verb::post, "/api/v1/login", 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "application/json");
  request.body() = boost::json::serialize(boost::json::object{{"username", o.user}, {"password", o.password}});
  request.prepare_payload();
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  if (response.result() != http::status::ok) throw std::runtime_error("login refused: " + response.body());
  auto cookie = std::string(response[http::field::set_cookie]);
  return cookie.substr(0, cookie.find(';'));
}

net::awaitable<void> console(const options& o, std::string cookie, results& r) {
  websocket::stream<beast::tcp_stream> ws(co_await net::this_coro::executor);
  auto [ec] = co_await beast::get_lowest_layer(ws).async_connect(
      tcp::endpoint(net::ip::make_address("127.0.0.1"), o.http_port), with_error);
  if (ec) co_return;
  ws.set_option(websocket::stream_base::decorator(
      [cookie](websocket::request_type& request) { request.set(http::field::cookie, cookie); }));
  std::tie(ec) = co_await ws.async_handshake("127.0.0.1", "/ws", with_error);
  if (ec) co_return;
  beast::flat_buffer buffer;
  bool counted = false;
  for (;;) {  // until io.stop() at the end of the drain
    auto [read_ec, n] = co_await ws.async_read(buffer, with_error);
    if (read_ec) {
      if (!r.stopping) ++r.consoles_lost;
      break;
    }
    auto arrived = now_us();
    std::string_view frame(static_cast<const char*>(buffer.data().data()), buffer.size());
    // One or more messages, one per line.
    while (!frame.empty()) {
      auto end = std::min(frame.find('\n'), frame.size());
      auto text = frame.substr(0, end);
      frame.remove_prefix(std::min(end + 1, frame.size()));
      if (!counted) {  // the snapshot
        counted = true;
        ++r.consoles_ready;
      } else if (r.counting && text.starts_with("{\"update\"")) {
        if (auto sent = send_time_in(text)) r.console_us.push_back(arrived - sent);
        ++r.updates;
      } else if (r.counting && text.starts_with("{\"snapshot\"")) {
        ++r.catch_ups;
      }
    }
    buffer.consume(buffer.size());
  }
}

const std::vector<std::string> case_types{"pendant", "fall", "pull_cord", "smoke",      "no_activity", "bed_exit",
                                          "door",    "heat", "co",        "chair_exit", "flood",       "epilepsy"};

net::awaitable<void> device(const options& o, lantern::sim::fleet_device identity, int index, results& r) {
  tcp::socket socket(co_await net::this_coro::executor);
  auto [ec] =
      co_await socket.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), o.device_port), with_error);
  if (ec) co_return;
  socket.set_option(tcp::no_delay(true));
  lantern::device::v1::DeviceMessage hello;
  hello.mutable_hello()->set_device_id(identity.id);
  hello.mutable_hello()->set_token(identity.token);
  co_await net::async_write(socket, net::buffer(lantern::device_link::encode_frame(hello)), with_error);
  lantern::device_link::frame_splitter splitter;
  std::map<std::uint64_t, std::int64_t> in_flight;
  std::array<std::uint8_t, 4096> chunk{};
  // Reads welcome and acks; sends on a fixed schedule once everyone is ready.
  bool welcomed = false;
  while (!welcomed) {
    auto [read_ec, n] = co_await socket.async_read_some(net::buffer(chunk), with_error);
    if (read_ec) co_return;
    splitter.feed(std::span(chunk.data(), n));
    if (auto m = splitter.next_message<lantern::device::v1::ServerMessage>())
      welcomed = std::holds_alternative<lantern::device::v1::ServerMessage>(*m) &&
                 std::get<lantern::device::v1::ServerMessage>(*m).has_welcome();
    if (!welcomed) co_return;
  }
  ++r.devices_ready;
  auto executor = co_await net::this_coro::executor;
  auto reader = [](tcp::socket& s, lantern::device_link::frame_splitter& sp, std::map<std::uint64_t, std::int64_t>& f,
                   results& res) -> net::awaitable<void> {
    std::array<std::uint8_t, 4096> buf{};
    for (;;) {
      auto [e, n] = co_await s.async_read_some(net::buffer(buf), with_error);
      if (e) co_return;
      sp.feed(std::span(buf.data(), n));
      while (auto m = sp.next_message<lantern::device::v1::ServerMessage>()) {
        auto* message = std::get_if<lantern::device::v1::ServerMessage>(&*m);
        if (message == nullptr) co_return;
        if (!message->has_ack()) continue;
        auto it = f.find(message->ack().seq());
        if (it == f.end()) continue;
        if (res.counting) res.ack_us.push_back(now_us() - it->second);
        ++res.acked;
        f.erase(it);
      }
    }
  };
  net::co_spawn(executor, reader(socket, splitter, in_flight, r), net::detached);

  net::steady_timer timer(executor);
  while (!r.measuring && !r.stopping) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(with_error);
  }
  auto interval = std::chrono::duration<double>(o.devices / o.rate);
  // Spread the devices' sends evenly over one interval.
  auto next = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(interval * index / o.devices);
  std::uint64_t seq = 1'000'000 + static_cast<std::uint64_t>(now_us() % 1'000'000'000);
  std::size_t type = static_cast<std::size_t>(index);
  while (r.measuring) {
    timer.expires_at(next);
    co_await timer.async_wait(with_error);
    next += std::chrono::duration_cast<clock_type::duration>(interval);
    lantern::device::v1::DeviceMessage alarm;
    auto* a = alarm.mutable_alarm();
    a->set_seq(++seq);
    a->set_type(case_types[type++ % case_types.size()]);
    auto sent = now_us();
    a->set_occurred_at_ms(sent / 1000);
    a->set_detail("t=" + std::to_string(sent));
    in_flight[seq] = sent;
    ++r.sent;
    auto [write_ec, written] =
        co_await net::async_write(socket, net::buffer(lantern::device_link::encode_frame(alarm)), with_error);
    if (write_ec) co_return;
  }
  timer.expires_after(std::chrono::seconds(3));  // let the last acks in
  co_await timer.async_wait(with_error);
  boost::system::error_code ignored;
  socket.close(ignored);
}

double percentile(std::vector<std::int64_t>& v, double p) {
  if (v.empty()) return 0;
  auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return static_cast<double>(v[k]) / 1000.0;
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--centre")
      o.centre = value;
    else if (flag == "--device-port")
      o.device_port = static_cast<unsigned short>(std::stoi(value));
    else if (flag == "--http-port")
      o.http_port = static_cast<unsigned short>(std::stoi(value));
    else if (flag == "--consoles")
      o.consoles = std::stoi(value);
    else if (flag == "--devices")
      o.devices = std::stoi(value);
    else if (flag == "--skip")
      o.skip = std::stoi(value);
    else if (flag == "--rate")
      o.rate = std::stod(value);
    else if (flag == "--seconds")
      o.seconds = std::stod(value);
    else if (flag == "--user")
      o.user = value;
    else if (flag == "--password")
      o.password = value;
    else if (flag == "--label")
      o.label = value;
    else
      throw std::runtime_error("unknown option " + flag);
  }
  if (o.centre.empty()) throw std::runtime_error("--centre FILE is required");
  return o;
}

}  // namespace

int main(int argc, char** argv) try {
  auto o = parse(argc, argv);
  auto fleet = lantern::sim::load_fleet(o.centre);
  if (static_cast<int>(fleet.size()) < o.skip + o.devices)
    throw std::runtime_error("the centre file has too few devices");
  auto cookie = login(o);
  net::io_context io(1);
  results r;
  for (int i = 0; i < o.consoles; ++i) net::co_spawn(io, console(o, cookie, r), net::detached);
  for (int i = 0; i < o.devices; ++i)
    net::co_spawn(io, device(o, fleet[static_cast<std::size_t>(o.skip + i)], i, r), net::detached);

  // Phases on one timer: wait for everyone, measure, drain, stop.
  net::steady_timer phase(io);
  auto started = clock_type::now();
  std::function<void()> step;
  step = [&] {
    auto now = clock_type::now();
    if (!r.measuring && !r.stopping) {
      bool ready = r.consoles_ready == static_cast<std::uint64_t>(o.consoles) &&
                   r.devices_ready == static_cast<std::uint64_t>(o.devices);
      if (ready) {
        r.measuring = r.counting = true;
        started = now;
      } else if (now - started > std::chrono::seconds(120)) {
        throw std::runtime_error("consoles or devices did not connect");
      }
    } else if (r.measuring && now - started > std::chrono::duration<double>(o.seconds)) {
      r.measuring = false;
      r.stopping = true;
      phase.expires_after(std::chrono::seconds(3));  // the drain: updates still on their way
      phase.async_wait([&](boost::system::error_code) {
        r.counting = false;
        io.stop();
      });
      return;
    }
    phase.expires_after(std::chrono::milliseconds(10));
    phase.async_wait([&](boost::system::error_code ec) {
      if (!ec) step();
    });
  };
  step();
  io.run();

  auto expected = r.sent * static_cast<std::uint64_t>(o.consoles);
  std::printf("| %s | %d | %.0f | %llu | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %llu of %llu | %llu | %llu |\n",
              o.label.c_str(), o.consoles, static_cast<double>(r.sent) / o.seconds,
              static_cast<unsigned long long>(r.acked), percentile(r.ack_us, 0.5), percentile(r.ack_us, 0.99),
              percentile(r.console_us, 0.5), percentile(r.console_us, 0.99), percentile(r.console_us, 0.999),
              percentile(r.console_us, 1.0), static_cast<unsigned long long>(r.updates),
              static_cast<unsigned long long>(expected), static_cast<unsigned long long>(r.consoles_lost),
              static_cast<unsigned long long>(r.catch_ups));
  return 0;
} catch (const std::exception& e) {
  std::cerr << "lantern-console-bench: " << e.what() << "\n";
  return 1;
}
