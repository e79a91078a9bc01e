#pragma once
// The application core: the one place the desk lives. On one strand it applies committed
// events in commit order (apply_committed.cpp), runs the per-case command pipeline
// (command_pipeline.cpp), ticks once a second for deadlines, escalation timeouts and the
// arrival watch, saves the projection, and publishes every change to its subscribers.
// Transports, escalation and supervision call it; it calls them back only through
// desk_subscriber. It knows no transport, and the store only as event_journal.

#include "core/clock.hpp"
#include "core/desk_subscriber.hpp"
#include "core/event_journal.hpp"
#include "desk/desk.hpp"
#include "metrics/metrics.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <spdlog/logger.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace lantern {

namespace net = boost::asio;

// One command and who waits for its answer.
struct command_request {
  std::string actor;  // an operator's username, carer_actor(id), or system_actor
  case_command command;
  // Called on the core's strand: nothing once the change is durable and applied, or why not.
  std::function<void(const command_answer&)> answered;
};

class desk_core {
 public:
  desk_core(net::any_io_executor io, centre& records, event_journal& journal, metrics& figures,
            std::shared_ptr<spdlog::logger> log, desk_settings settings = {}, wall_clock clock = system_wall_clock());

  // Before restore. Not owned: each must outlive the core's strand.
  void subscribe(desk_subscriber& subscriber) { subscribers_.push_back(&subscriber); }
  // Takes the saved cases back and applies the events stored after them (on the caller's
  // thread: before the journal starts and anything else runs).
  void restore(desk_restore_point point);
  // Starts the once-a-second tick.
  void start();
  // Saves the changed cases now and stops ticking, then calls `then` on the strand.
  void save_and_then(std::function<void()> then);

  // Thread-safe. From the journal, after each commit, in commit order.
  void events_committed(std::vector<desk_event> events);
  // Thread-safe. Checks, journals and applies a command; answers once it is durable and
  // applied, or at once when it is refused. One command per case is in flight at a time.
  void command(command_request request);
  // Thread-safe. An administrator's change: `done` once it is stored and live, or why not
  // (on the journal's thread or the core's strand: post elsewhere).
  void change_record(record_change change, event_journal::change_done done);
  // Thread-safe. A device that missed its check-in is heard again: its open missed
  // check-in case closes, with `note` on the timeline.
  void device_returned(std::string person_id, std::string device_id, std::string note);
  // Thread-safe. An operator opens a case by hand for `person_id` (a relative phoned in):
  // stored like an alarm, without a device, and theirs from the start. `done` on the strand.
  void open_case_by_hand(std::string actor, std::string person_id, std::string type, std::string note,
                         std::function<void(const command_answer&)> done);
  // Thread-safe. An operator chose ready, on a call or a break.
  void set_presence(std::string username, presence state);
  // Thread-safe. An operator's first console opened (ready, or what they last chose), or
  // their last one closed (offline).
  void set_online(std::string username, bool online);
  // Thread-safe. One tick now (the timer calls it once a second; tests call it by hand).
  void tick();
  // Thread-safe. Runs `work` on the strand, where the accessors below may be read.
  template <typename Work>
  void post(Work work) {
    net::post(strand_, std::move(work));
  }

  // On the strand only.
  const desk& cases() const { return desk_; }
  const centre& records() const { return records_; }
  presence chosen_presence(const std::string& username) const;
  std::int64_t now() const { return clock_(); }
  event_journal& journal() { return journal_; }

 private:
  // apply_committed.cpp: each kind of event, applied and published.
  void apply(const std::vector<desk_event>& events);
  void apply_alarm(const alarm_event& alarm);
  void apply_action(const case_action& action);
  void apply_record_update(const record_update& update);
  void publish(const case_record& c, const case_change& change);
  // presence.cpp: an operator's state follows their work (operators[].auto_presence).
  void choose_presence(const std::string& username, presence state);
  void follow_work(const std::string& owner_before, const case_record& c);

  // command_pipeline.cpp: starts `request`, or answers its refusal at once (false).
  bool start_command(command_request request);
  void command_done(std::uint64_t token, const command_answer& answer);
  void system_command(case_command command);
  void run_due_steps();

  void schedule_projection_save();
  void save_projection();
  void schedule_tick();
  void update_gauges();

  net::strand<net::any_io_executor> strand_;
  centre& records_;  // changed only here, on the strand: see centre::lock
  event_journal& journal_;
  metrics& metrics_;
  std::shared_ptr<spdlog::logger> log_;
  wall_clock clock_;
  desk desk_;
  std::vector<desk_subscriber*> subscribers_;
  std::map<std::string, presence> chosen_presence_;
  // Operators set "on a call" by accepting a case, with the state they go back to after it.
  std::map<std::string, presence> resume_after_work_;

  std::map<std::uint64_t, command_request> in_flight_;  // by request token
  static constexpr std::size_t max_waiting_per_case = 64;
  // A case has an entry while a command on it is in flight: the commands waiting behind it.
  std::map<std::int64_t, std::deque<command_request>> waiting_;
  std::uint64_t next_token_ = 1;

  // Changed cases not yet saved. The saved projection may lag the events safely: at start
  // the desk re-applies every event after the saved watermark. Saving at most once a second
  // writes a case changed many times once (at 10,000 alarms/s, 200 ms cost 7 µs an alarm
  // more), and the journal spreads a large save over several commits.
  // Ids: the cases are copied from the desk when saved, in id order (neighbours in the table).
  // A hash set, since nearly every alarm adds an id already there.
  std::unordered_set<std::int64_t> unsaved_;
  std::int64_t unsaved_watermark_ = 0;
  net::steady_timer save_timer_;
  bool save_scheduled_ = false;
  net::steady_timer tick_timer_;
  bool stopping_ = false;
  // While a restart re-applies the events after the saved projection: nothing is published
  // (an escalation replayed would notify its carer again); restore() publishes the result.
  bool replaying_ = false;
  unsigned ticks_ = 0;
};

}  // namespace lantern
