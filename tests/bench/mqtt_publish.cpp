// lantern-mqtt-bench: the peer for the alarm throughput benchmark. N MQTT clients publish
// QoS 1 messages carrying the same bytes as a Lantern alarm frame to a mosquitto broker,
// and one persistent subscriber (clean session off, QoS 1) takes them, as a centre's
// backend would. Prints PUBACK rate and latency p50/p99 in the same words lantern-sim uses.
//
// libmosquitto does the protocol; Asio waits on its sockets, so a thousand clients share
// one thread as lantern-sim's devices do.
#include "device/frame_codec.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <mosquitto.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace net = boost::asio;
using clock_type = std::chrono::steady_clock;

struct options {
  int port = 1883;
  int clients = 1000;
  int window = 4;   // closed loop: QoS 1 publishes awaiting PUBACK per client
  double rate = 0;  // >0: open loop at this many publishes per second across all clients
  double seconds = 15;
};

struct run_state {
  bool measuring = false;
  bool stopping = false;
  std::uint64_t sent = 0, acked = 0, received = 0;
  std::vector<double> latency_ms;
};

// One MQTT connection, driven by Asio readiness instead of libmosquitto's own loop.
class client {
 public:
  client(net::io_context& io, const options& o, run_state& state, std::string id, bool subscriber)
      : io_(io), options_(o), state_(state), topic_("lantern/" + id + "/alarm"), subscriber_(subscriber) {
    mosq_ = mosquitto_new(id.c_str(), !subscriber, this);  // the subscriber's session is persistent
    if (mosq_ == nullptr) throw std::runtime_error("mosquitto_new failed");
    mosquitto_connect_callback_set(mosq_, [](mosquitto*, void* self, int rc) {
      if (rc == 0) static_cast<client*>(self)->connected_ = true;
    });
    mosquitto_publish_callback_set(mosq_,
                                   [](mosquitto*, void* self, int mid) { static_cast<client*>(self)->acked(mid); });
    mosquitto_message_callback_set(
        mosq_, [](mosquitto*, void* self, const mosquitto_message*) { ++static_cast<client*>(self)->state_.received; });
    if (mosquitto_connect(mosq_, "127.0.0.1", o.port, 60) != MOSQ_ERR_SUCCESS)
      throw std::runtime_error("cannot connect to mosquitto on port " + std::to_string(o.port));
    if (subscriber_) mosquitto_subscribe(mosq_, nullptr, "lantern/+/alarm", 1);
    socket_ = std::make_unique<net::posix::stream_descriptor>(io, mosquitto_socket(mosq_));
    wait_read();
    flush();
  }
  ~client() {
    if (socket_) socket_->release();  // libmosquitto closes its own socket
    mosquitto_destroy(mosq_);
  }
  bool connected() const { return connected_; }

  void publish(const std::string& payload) {
    int mid = 0;
    if (mosquitto_publish(mosq_, &mid, topic_.c_str(), static_cast<int>(payload.size()), payload.data(), 1, false) !=
        MOSQ_ERR_SUCCESS)
      return;
    in_flight_[mid] = clock_type::now();
    ++state_.sent;
    flush();
  }
  std::size_t in_flight() const { return in_flight_.size(); }
  void set_payload(std::string payload) { payload_ = std::move(payload); }
  void misc() { mosquitto_loop_misc(mosq_); }

 private:
  void acked(int mid) {
    auto it = in_flight_.find(mid);
    if (it == in_flight_.end()) return;
    if (state_.measuring) {
      ++state_.acked;
      state_.latency_ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - it->second).count());
    }
    in_flight_.erase(it);
    if (options_.rate == 0 && state_.measuring) publish(payload_);  // closed loop: keep the window full
  }
  void wait_read() {
    socket_->async_wait(net::posix::stream_descriptor::wait_read, [this](boost::system::error_code ec) {
      if (ec || state_.stopping) return;
      mosquitto_loop_read(mosq_, 64);
      flush();
      wait_read();
    });
  }
  // Writes what libmosquitto has queued; waits for room when the socket is full.
  void flush() {
    if (writing_ || !mosquitto_want_write(mosq_)) return;
    mosquitto_loop_write(mosq_, 64);
    if (!mosquitto_want_write(mosq_)) return;
    writing_ = true;
    socket_->async_wait(net::posix::stream_descriptor::wait_write, [this](boost::system::error_code ec) {
      writing_ = false;
      if (!ec && !state_.stopping) flush();
    });
  }

  net::io_context& io_;
  const options& options_;
  run_state& state_;
  std::string topic_;
  bool subscriber_;
  mosquitto* mosq_ = nullptr;
  std::unique_ptr<net::posix::stream_descriptor> socket_;
  std::map<int, clock_type::time_point> in_flight_;
  std::string payload_;
  bool connected_ = false;
  bool writing_ = false;
};

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--port")
      o.port = std::stoi(value);
    else if (flag == "--clients")
      o.clients = std::stoi(value);
    else if (flag == "--window")
      o.window = std::stoi(value);
    else if (flag == "--rate")
      o.rate = std::stod(value);
    else if (flag == "--seconds")
      o.seconds = std::stod(value);
    else
      throw std::runtime_error("unknown option " + flag);
  }
  return o;
}

// The bytes a simulated device sends for one alarm: the payload sizes match.
std::string alarm_payload(std::uint64_t seq) {
  lantern::device::v1::DeviceMessage m;
  m.mutable_alarm()->set_seq(seq);
  m.mutable_alarm()->set_type("pendant");
  m.mutable_alarm()->set_occurred_at_ms(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  return lantern::device_link::encode_frame(m);
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

int main(int argc, char** argv) try {
  auto o = parse(argc, argv);
  mosquitto_lib_init();
  net::io_context io(1);
  run_state state;
  auto subscriber = std::make_unique<client>(io, o, state, "lantern-centre", true);
  std::vector<std::unique_ptr<client>> clients;
  for (int i = 0; i < o.clients; ++i) {
    clients.push_back(std::make_unique<client>(io, o, state, "device-" + std::to_string(i), false));
    clients.back()->set_payload(alarm_payload(1'000'000 + static_cast<std::uint64_t>(i)));
  }

  // Phases on one timer: wait for CONNACKs, measure, stop. Open loop publishes on each tick.
  net::steady_timer tick(io);
  auto started = clock_type::now();
  auto last_misc = started;
  auto last_tick = started;
  double owed = 0;
  std::size_t next_client = 0;
  std::function<void()> step = [&] {
    auto now = clock_type::now();
    if (now - last_misc > std::chrono::seconds(1)) {
      last_misc = now;
      subscriber->misc();
      for (auto& c : clients) c->misc();
    }
    if (!state.measuring) {
      bool ready = subscriber->connected() &&
                   std::all_of(clients.begin(), clients.end(), [](const auto& c) { return c->connected(); });
      if (!ready && now - started > std::chrono::seconds(60)) throw std::runtime_error("clients did not connect");
      if (ready) {
        state.measuring = true;
        started = now;
        if (o.rate == 0)
          for (auto& c : clients)
            for (int w = 0; w < o.window; ++w) c->publish(alarm_payload(0));
      }
    } else if (now - started > std::chrono::duration<double>(o.seconds)) {
      state.stopping = true;
      io.stop();
      return;
    } else if (o.rate > 0) {
      owed += o.rate * std::chrono::duration<double>(now - last_tick).count();
      for (; owed >= 1; owed -= 1) clients[next_client++ % clients.size()]->publish(alarm_payload(0));
    }
    last_tick = now;
    tick.expires_after(std::chrono::milliseconds(1));
    tick.async_wait([&](boost::system::error_code ec) {
      if (!ec) step();
    });
  };
  step();
  io.run();

  auto elapsed = std::chrono::duration<double>(clock_type::now() - started).count();
  std::printf("alarms acked/s     %.1f over %.1f s\n", static_cast<double>(state.acked) / elapsed, elapsed);
  std::printf("ack latency ms     p50 %.2f  p99 %.2f  max %.2f  p99.9 %.2f\n", percentile(state.latency_ms, 0.5),
              percentile(state.latency_ms, 0.99), percentile(state.latency_ms, 1.0),
              percentile(state.latency_ms, 0.999));
  std::printf("subscriber         received %llu\n", static_cast<unsigned long long>(state.received));
  clients.clear();
  subscriber.reset();
  mosquitto_lib_cleanup();
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "lantern-mqtt-bench: %s\n", e.what());
  return 1;
}
