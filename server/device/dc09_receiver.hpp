#pragma once
// The SIA DC-09 receiver: alarm units (panels, home hubs, IP communicators) on TCP and UDP,
// one port number for both. Every frame goes through dc09::take_frame; its alarms go to the
// journal and the ACK is sent only once they are durable (a re-send is stored once). A
// known account's message, a NULL included, is a check-in for supervision. Unknown
// accounts are answered DUH and listed for administrators.

#include "centre/centre.hpp"
#include "core/event_journal.hpp"
#include "core/unit_signals.hpp"
#include "listener/listener.hpp"
#include "listener/source_rates.hpp"
#include "listener/waiting_room.hpp"
#include "metrics/metrics.hpp"

#include <boost/asio/ip/udp.hpp>

#include <spdlog/logger.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace lantern {

struct dc09_limits {
  std::size_t max_connections = 50'000;  // TCP connections open at once
  // Connections before their first whole frame, in all and from one address: past either
  // the oldest waiting one is dropped (as on the device port before a hello).
  std::size_t max_waiting = 4'096;
  std::size_t max_waiting_per_source = 1'024;
  // Frames per source address (a fleet behind a carrier's NAT shares one): past it a frame
  // gets no answer, and the unit sends it again later.
  double frames_per_second = 2'000;
  double frame_burst = 4'000;
  // A frame begun must end within this, and a new connection's first frame come within it.
  std::chrono::seconds partial_frame_timeout{30};
  std::chrono::seconds idle_timeout{20 * 60};  // a TCP connection silent this long is closed
};

struct dc09_context {
  const centre& records;
  event_journal& store;
  metrics& figures;
  unit_signals& signals;
  std::shared_ptr<spdlog::logger> log;
  // Supervision: told whenever a known unit is heard from.
  std::function<void(const std::string& device_id)> heard;
  dc09_limits limits{};
  source_rates rates{limits.frames_per_second, limits.frame_burst};
  waiting_room before_first_frame{waiting_room::limits{limits.max_waiting, limits.max_waiting_per_source}};
  std::atomic<std::size_t> connections{0};
  std::atomic<std::int64_t> log_window_ms{0};  // refusals are logged at most 20 a second
  std::atomic<int> logged_in_window{0};
};

// What to send back for a frame: nothing when `bytes` is empty (rate-limited, or not
// stored: the unit sends it again). `taken`: an ACK or RSP, the frame was the unit's.
struct dc09_answer {
  std::string bytes;
  bool taken = false;
};

// Takes one whole frame from `source`. `answer` comes at once (NAK, DUH, a NULL's ACK) or
// from the journal's thread once the alarms are durable.
void take_dc09_frame(dc09_context& context, std::string_view bytes, const boost::asio::ip::address& source,
                     std::function<void(dc09_answer)> answer);
// Logs a refusal, at most 20 lines a second in all: a flood is counted, not written out.
void log_dc09_refusal(dc09_context& context, const boost::asio::ip::address& source, std::string_view what);

class dc09_receiver {
 public:
  // `context` must outlive the io_context. Port 0 picks one free port for TCP and UDP both.
  dc09_receiver(net::any_io_executor io, dc09_context& context, const net::ip::address& bind, unsigned short port);
  unsigned short port() const { return port_; }
  void start();
  void stop();

 private:
  net::awaitable<void> receive_datagrams();

  dc09_context& context_;
  std::uint64_t next_connection_id_ = 0;
  std::unique_ptr<listener> tcp_;
  net::ip::udp::socket udp_;
  unsigned short port_ = 0;
};

}  // namespace lantern
