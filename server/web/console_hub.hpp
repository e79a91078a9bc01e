#pragma once
// Owns the desk on one strand, applies committed alarms to it in commit order, and fans
// each change out to every live console: serialised once, the same buffer queued on each.

#include "desk/desk.hpp"
#include "metrics/metrics.hpp"
#include "store/case_store.hpp"
#include "store/journal.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <spdlog/logger.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lantern {

namespace net = boost::asio;

// A live console, as the hub sees it.
class console_subscriber {
 public:
  virtual ~console_subscriber() = default;
  // Called on the hub's strand with messages in version order; queue and return at once.
  virtual void deliver(std::shared_ptr<const std::string> message) = 0;
};

class console_hub {
 public:
  console_hub(net::any_io_executor io, const centre& records, journal& store, metrics& figures,
              std::shared_ptr<spdlog::logger> log);

  // Before serving: takes the saved cases back and applies alarms stored after them.
  void restore(desk_restore_point point);

  // Thread-safe. From the journal, after each commit, in commit order.
  void alarms_committed(std::vector<alarm_event> alarms);

  // Thread-safe. Sends a snapshot, then every update, to `console` until it goes away.
  void subscribe(std::weak_ptr<console_subscriber> console, std::string username);
  // Thread-safe. Saves the changed cases now, then calls `then` (on the hub's strand).
  void save_and_then(std::function<void()> then);

  // Thread-safe. Sends `console` a fresh snapshot (after it saw a version gap).
  void resync(std::weak_ptr<console_subscriber> console, std::string username);

 private:
  void apply(const std::vector<alarm_event>& alarms);
  void broadcast_update(const case_record& c);
  void broadcast(std::shared_ptr<const std::string> message);
  std::shared_ptr<const std::string> snapshot_for(const std::string& username) const;
  void update_gauges();
  void schedule_projection_save();
  void save_projection();

  net::strand<net::any_io_executor> strand_;
  const centre& records_;
  journal& store_;
  metrics& metrics_;
  std::shared_ptr<spdlog::logger> log_;
  desk desk_;
  std::uint64_t version_ = 0;
  std::vector<std::weak_ptr<console_subscriber>> consoles_;
  // Changed cases not yet saved. The saved projection may lag the events safely: at start
  // the desk re-applies every alarm after the saved watermark. Saving at most every 200 ms
  // writes a case changed many times once, and keeps the journal's batches lean.
  std::map<std::int64_t, case_record> unsaved_;
  std::int64_t unsaved_watermark_ = 0;
  net::steady_timer save_timer_;
  bool save_scheduled_ = false;
};

}  // namespace lantern
