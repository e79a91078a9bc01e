#pragma once
// One simulated device: connects, says hello, sends alarms and heartbeats, and re-sends
// every alarm not yet acked, with its original seq, after reconnecting.

#include "fleet.hpp"
#include "sim_options.hpp"
#include "sim_stats.hpp"

#include "device/frame_codec.hpp"
#include "sim_link.hpp"
#include "sim_net.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>

namespace lantern::sim {

// Shared by every device of a run. Alarms start once the whole fleet is connected, so the
// figures measure the steady state, not the fleet's logins.
struct run_control {
  enum phase { connecting, generating, draining };
  std::atomic<int> phase{connecting};
  bool is_generating() const { return phase == generating; }
  std::atomic<bool> outage{false};  // --outage-at: the network has just failed for everyone
  std::atomic<clock::rep> drain_deadline{clock::time_point::max().time_since_epoch().count()};
  clock::time_point drain_deadline_at() const { return clock::time_point(clock::duration(drain_deadline.load())); }
  std::atomic<std::size_t> devices_finished{0};
  std::atomic<std::size_t> devices_sent_all{0};  // --alarms: devices that sent every one
};

// How a device misbehaves in fault mode (--faults).
enum class fault_kind { none, duplicate, midframe, slow, garbage };

// What sets one device apart from the rest of the fleet.
struct device_traits {
  fault_kind fault = fault_kind::none;
  std::optional<net::ip::address> source;  // --sources: the local address it connects from
  net::ssl::context* tls = nullptr;        // --tls: the fleet's one client context
};

// The traits of the fleet's `index`th device under these options.
device_traits traits_for(const sim_options& options, std::size_t index);

class simulated_device : public std::enable_shared_from_this<simulated_device> {
 public:
  simulated_device(net::any_io_executor strand, fleet_device identity, const sim_options& options, sim_stats& stats,
                   run_control& control, std::uint64_t first_seq, unsigned seed, device_traits traits);
  net::awaitable<void> run();

 private:
  enum class hello_result { welcomed, refused, failed };
  // A link TLS refused is not tried again: no retry mends an untrusted certificate.
  hello_result refused_by_tls(const sim_link& socket);
  net::awaitable<hello_result> connect_and_hello(sim_link& socket);
  net::awaitable<void> receive(sim_link& socket);
  net::awaitable<void> transmit(sim_link& socket);
  net::awaitable<bool> write(sim_link& socket, const std::string& frames);
  // Writes one byte a second (a slow writer); the ack timeout counts from the last byte.
  net::awaitable<bool> dribble(sim_link& socket, const std::string& frames);
  std::string next_alarm_frame(clock::time_point now);
  clock::time_point next_wake(clock::time_point now) const;
  bool sends_alarms() const { return traits_.fault != fault_kind::slow; }
  bool counted() const { return options_.alarms_each > 0; }  // --alarms
  bool sent_all() const { return counted() && alarms_sent_ >= options_.alarms_each; }
  // Storm mode: waits for this device's moment in the storm, with its backlog queued.
  net::awaitable<void> come_back_from_outage();
  bool done(clock::time_point now) const;

  net::any_io_executor strand_;
  fleet_device identity_;
  const sim_options& options_;
  sim_stats& stats_;
  run_control& control_;
  std::mt19937_64 rng_;
  std::discrete_distribution<std::size_t> type_pick_;
  std::vector<std::string> types_;
  std::uint64_t next_seq_;
  std::uint64_t epoch_;  // this run's counter: seqs start afresh from the clock each run
  std::chrono::milliseconds heartbeat_every_{60000};
  clock::time_point next_alarm_at_{};  // unset until the device first looks at its schedule
  unsigned alarms_sent_ = 0;           // by this device, for --alarms
  clock::time_point next_heartbeat_at_;
  net::steady_timer wake_;
  device_traits traits_;
  bool had_outage_ = false;

  struct pending_alarm {
    lantern::device::v1::DeviceMessage message;
    clock::time_point first_sent;
    clock::time_point last_sent;
  };
  std::map<std::uint64_t, pending_alarm> pending_;
  std::set<std::uint64_t> unacked_heartbeats_;
  device_link::frame_splitter splitter_;
};

}  // namespace lantern::sim
