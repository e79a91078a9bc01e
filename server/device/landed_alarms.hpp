#pragma once
// Device alarms the journal has settled, handed back to the I/O threads in bulk: one
// hand-over (and at most one wake-up) for everything a commit settled, made once the
// journal has settled them all (event_journal::after_each_commit), rather than a post to
// each connection's strand per alarm. Each session gets its alarms at once and acks
// them in one write, which counts at saturation, where a commit settles hundreds.

#include "core/event_journal.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

namespace lantern {

namespace net = boost::asio;
class device_session;

struct landed_alarm {
  std::shared_ptr<device_session> session;
  std::uint64_t seq = 0;
  std::chrono::steady_clock::time_point read_at;
  event_journal::outcome result = event_journal::outcome::failed;
};

class landed_alarms {
 public:
  explicit landed_alarms(net::any_io_executor io) : io_(std::move(io)) {}
  // From the journal's thread: kept until hand_over.
  void add(landed_alarm landed);
  // From the journal's thread, after each commit: what it settled goes to an I/O thread.
  void hand_over();

 private:
  // On an I/O thread: each session's alarms, in the order they landed, on its own strand.
  void deliver();

  net::any_io_executor io_;
  std::mutex mutex_;
  std::vector<landed_alarm> waiting_;
  bool delivery_posted_ = false;
};

}  // namespace lantern
