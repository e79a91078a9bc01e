#pragma once
// One simulated device: connects, says hello, sends alarms and heartbeats, and re-sends
// every alarm not yet acked, with its original seq, after reconnecting.

#include "fleet.hpp"
#include "sim_options.hpp"
#include "sim_stats.hpp"

#include "device/frame_codec.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <random>

namespace lantern::sim {

namespace net = boost::asio;
using clock = std::chrono::steady_clock;

// Shared by every device of a run. Alarms start once the whole fleet is connected, so the
// figures measure the steady state, not the fleet's logins.
struct run_control {
  enum phase { connecting, generating, draining };
  std::atomic<int> phase{connecting};
  bool is_generating() const { return phase == generating; }
  std::atomic<clock::rep> drain_deadline{clock::time_point::max().time_since_epoch().count()};
  std::atomic<std::size_t> devices_finished{0};
};

class simulated_device : public std::enable_shared_from_this<simulated_device> {
 public:
  simulated_device(net::any_io_executor strand, fleet_device identity, const sim_options& options, sim_stats& stats,
                   run_control& control, std::uint64_t first_seq, unsigned seed);
  net::awaitable<void> run();

 private:
  enum class hello_result { welcomed, refused, failed };
  net::awaitable<hello_result> connect_and_hello(net::ip::tcp::socket& socket);
  net::awaitable<void> receive(net::ip::tcp::socket& socket);
  net::awaitable<void> transmit(net::ip::tcp::socket& socket);
  net::awaitable<bool> write(net::ip::tcp::socket& socket, const std::string& frames);
  std::string next_alarm_frame(clock::time_point now);
  // Storm mode: waits for this device's moment in the storm, with its backlog queued.
  net::awaitable<void> come_back_from_outage();
  bool done(clock::time_point now) const;
  clock::time_point drain_deadline() const;

  net::any_io_executor strand_;
  fleet_device identity_;
  const sim_options& options_;
  sim_stats& stats_;
  run_control& control_;
  std::mt19937_64 rng_;
  std::discrete_distribution<std::size_t> type_pick_;
  std::vector<std::string> types_;
  std::uint64_t next_seq_;
  std::chrono::milliseconds heartbeat_every_{60000};
  clock::time_point next_alarm_at_;
  clock::time_point next_heartbeat_at_;
  net::steady_timer wake_;

  struct pending_alarm {
    lantern::device::v1::DeviceMessage message;
    clock::time_point first_sent;
    clock::time_point last_sent;
  };
  std::map<std::uint64_t, pending_alarm> pending_;
  std::uint64_t last_heartbeat_seq_ = 0;
  device_link::frame_splitter splitter_;
};

}  // namespace lantern::sim
