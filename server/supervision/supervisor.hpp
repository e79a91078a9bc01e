#pragma once
// Device supervision on the server: one timer for every device's deadline (the wheel inside
// device_supervision), ticking once a second. A missed check-in and a low battery become
// technical alarms through the journal like any device's alarm, so the desk opens their
// cases; a device's return is handed to `on_returned` (the core closes its case). Last-seen
// times are saved in batches every `save_every`.

#include "core/event_journal.hpp"
#include "metrics/metrics.hpp"
#include "supervision/device_supervision.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <spdlog/logger.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>

namespace lantern {

namespace net = boost::asio;

class supervisor {
 public:
  using returned = std::function<void(const supervision_event& event, std::string note)>;

  // `figures`: each technical alarm raised counts in lantern_events_received_total by type.
  supervisor(net::any_io_executor io, const centre& records, event_journal& store, metrics& figures,
             std::shared_ptr<spdlog::logger> log, supervision_settings settings, returned on_returned);

  // Gives every device one full deadline from now, then ticks. `saved`: the last-seen times
  // an earlier run stored.
  void start(const std::vector<std::pair<std::string, std::int64_t>>& saved = {});
  // Queues the last-seen times not yet saved, then stops ticking. Call before the journal stops.
  void stop();
  // Thread-safe; from device sessions. `battery_pct` -1 when the message carried none.
  void heard(const std::string& device_id, int battery_pct);
  // Thread-safe; from the core (a record change). A device added, changed or (`record` empty) deactivated.
  void device_changed(const std::string& device_id, std::shared_ptr<const device_record> record);
  // Thread-safe. Its last contact (fresher than the saved time, which lags by up to 30 s),
  // battery and check-in, for the card and the records pages.
  device_health health_of(const std::string& device_id);

 private:
  void tick();
  void act(std::vector<supervision_event>& events);
  void raise(const supervision_event& event, alarm_type type, std::string detail);

  net::strand<net::any_io_executor> strand_;
  event_journal& store_;
  metrics& figures_;
  std::shared_ptr<spdlog::logger> log_;
  returned on_returned_;
  std::mutex mutex_;
  device_supervision rules_;
  net::steady_timer timer_;
  unsigned ticks_ = 0;
  bool stopped_ = false;
  std::atomic<std::uint64_t> raised_{0};
};

}  // namespace lantern
