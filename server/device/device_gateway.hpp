#pragma once
// The device link's front door: what every device session shares, and the listener that
// starts one device_session per connection.

#include "centre/centre.hpp"
#include "core/event_journal.hpp"
#include "device/device_authenticator.hpp"
#include "device/landed_alarms.hpp"
#include "listener/listener.hpp"
#include "listener/tls_context.hpp"
#include "listener/waiting_room.hpp"
#include "metrics/metrics.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

namespace lantern {

// What the device port admits, so that a storm or a runaway device cannot take the centre
// down: past a limit a connection is refused (closed at once) or an event nacked, and
// each refusal is counted in the metrics.
struct admission_limits {
  std::size_t max_connections = 200'000;  // device connections open at once
  // Connections before their hello, in all and from one address; past either the oldest
  // waiting one is dropped. Per source it is high because fleets behind carrier NAT share
  // one address, and a hub says hello within milliseconds of connecting.
  std::size_t max_handshakes = 4'096;
  std::size_t max_handshakes_per_source = 1'024;
  double events_per_second = 250;  // per device, alarms and heartbeats together
  double event_burst = 500;        // what a device may send at once before the rate applies
};

struct gateway_context {
  const centre& records;
  event_journal& store;
  metrics& figures;
  device_authenticator& authenticator;
  net::any_io_executor verify_executor;  // where the slow token hash runs
  std::shared_ptr<spdlog::logger> log;
  std::chrono::seconds hello_timeout{10};
  std::size_t max_in_flight = 256;  // alarms awaiting their commit, per connection
  // Supervision: told whenever a device is heard from (battery -1 when not reported).
  std::function<void(const std::string& device_id, int battery_pct)> heard;
  admission_limits limits{};
  std::atomic<std::size_t> connections{0};  // open device connections
  std::atomic<std::size_t> verifying{0};    // hellos waiting for their token check (at most max_handshakes)
  waiting_room before_hello{waiting_room::limits{limits.max_handshakes, limits.max_handshakes_per_source}};
  // Set: the device port speaks TLS (--tls-cert, --tls-key; --device-tls-client-ca).
  const tls_certificate* tls = nullptr;
  landed_alarms* landed = nullptr;  // the gateway's
};

class device_gateway {
 public:
  // `context` must outlive the io_context: sessions it destroys still read it.
  device_gateway(net::any_io_executor io, gateway_context& context, const net::ip::tcp::endpoint& at);
  unsigned short port() const { return listener_.local_endpoint().port(); }
  void start() { listener_.start(); }
  void stop() { listener_.stop(); }

 private:
  gateway_context& context_;
  std::uint64_t next_session_id_ = 0;
  landed_alarms landed_;
  listener listener_;
};

}  // namespace lantern
