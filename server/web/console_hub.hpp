#pragma once
// Owns the desk on one strand. Applies committed alarms and case actions to it in commit
// order, runs operators' commands (checked, journaled, applied once durable, answered), and
// fans each change out to every live console: serialised once, the same buffer queued on
// each. Access details and supervisors' floor figures go only to the consoles entitled.

#include "desk/desk.hpp"
#include "metrics/metrics.hpp"
#include "store/journal.hpp"
#include "web/carer_links.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <spdlog/logger.h>

#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <set>
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
  // The same, for a whole snapshot (big at storm sizes): a console holds at most one unsent.
  virtual void deliver_snapshot(std::shared_ptr<const std::string> message) { deliver(std::move(message)); }
};

// One command from one console, waiting for its answer.
struct console_command {
  std::weak_ptr<console_subscriber> console;
  std::string username;
  std::string request_id;
  case_command command;
  // For the server's own steps: called with the answer ("" when stored) instead of a console.
  std::function<void(const std::string& error)> on_answer;
};

// Asks for a responder to be notified: the attempt, and the channels still to send on
// (empty: none chosen yet, the courier picks them).
using responder_notifier =
    std::function<void(const case_record& c, const responder_attempt& a, std::vector<std::string> pending_channels)>;

class console_hub {
 public:
  console_hub(net::any_io_executor io, centre& records, journal& store, metrics& figures,
              std::shared_ptr<spdlog::logger> log, carer_links& links, desk_settings settings = {});

  // Before restore: who sends notifications to responders (escalation/courier).
  void set_notifier(responder_notifier notifier) { notify_ = std::move(notifier); }
  // Before serving: who hears of devices an administrator added, changed or deactivated
  // (supervision). Called on the hub's strand, after the live records have changed.
  using device_listener = std::function<void(const std::string& id, std::shared_ptr<const device_record> now)>;
  void set_device_listener(device_listener listener) { device_changed_ = std::move(listener); }
  // Before serving: who ends the logins of an operator deactivated, given a new password or
  // a new role (the login sessions). Called on the hub's strand, before the admin is answered.
  using access_listener = std::function<void(const std::string& username)>;
  void set_access_listener(access_listener listener) { access_ended_ = std::move(listener); }

  // Before serving: takes the saved cases back and applies events stored after them.
  void restore(desk_restore_point point);

  // Thread-safe. From the journal, after each commit, in commit order.
  void events_committed(std::vector<desk_event> events);

  // Thread-safe. Sends a snapshot, then every update, to `console` until it goes away.
  void subscribe(std::weak_ptr<console_subscriber> console, std::string username);
  // Thread-safe. A console has gone: an operator with no console left is offline.
  void unsubscribe(std::string username);
  // Thread-safe. Sends `console` a fresh snapshot (after it saw a version gap).
  void resync(std::weak_ptr<console_subscriber> console, std::string username);
  // Thread-safe. Ready, on a call, on a break.
  void set_presence(std::string username, presence state);
  // Thread-safe. Checks, journals and applies a case command; answers the console once
  // the change is durable, or at once when it is refused.
  void command(console_command request);
  // Thread-safe. Journals one of the server's own escalation steps (a link issued, a
  // delivery result); the future gives "" once it is durable and applied, or why not.
  std::future<std::string> record_step(case_command step);
  // Thread-safe. A carer's page: sends the view of their attempt now and after each change.
  void subscribe_carer(std::weak_ptr<console_subscriber> page, carer_link_entry link);
  // Thread-safe. A device that missed its check-in is heard again: its open missed
  // check-in case closes, with `note` on the timeline.
  void device_returned(std::string person_id, std::string device_id, std::string note);
  // Thread-safe. Saves the changed cases now, then calls `then` (on the hub's strand).
  void save_and_then(std::function<void()> then);

 private:
  struct live_console {
    std::weak_ptr<console_subscriber> console;
    std::string username;
    bool sees_floor;  // supervisors and admins get the floor figures
  };

  void apply(const std::vector<desk_event>& events);
  void apply_alarm(const alarm_event& alarm);
  void apply_action(const case_action& action);
  // record_updates.cpp: an administrator's change, into the live records; open cases of the
  // person show that their plan has changed.
  void apply_record_update(const record_update& update);
  // `with_person`: the update carries the person's card (when the case has just opened).
  void changed(const case_record& c, std::int64_t event_id, bool with_person = false);
  void broadcast_update(const case_record& c, bool with_person);
  void broadcast(const std::shared_ptr<const std::string>& message);
  void send_to_user(const std::string& username, const std::shared_ptr<const std::string>& message);
  void send_access(const case_record& c);
  const person* access_of(const case_record& c) const;
  std::shared_ptr<const std::string> snapshot_for(const std::string& username) const;
  // What the operator last chose (kept across reconnects); ready until they choose.
  presence chosen_presence_of(const std::string& username) const;
  void update_gauges();
  void schedule_projection_save();
  void save_projection();
  void tick();
  void send_floor_view();

  // escalation_steps.cpp: after a case changes, keeps links, notifications and carer pages
  // current; once a second, records the timeouts that are due.
  void escalation_changed(const case_record& c);
  void count_escalation(const case_action& action, escalation_status before, const case_record& c);
  void run_due_steps(std::int64_t now);
  void system_command(case_command command);

  // case_commands.cpp: one command in flight per case; the rest wait their turn.
  // Answers a refusal at once (false), or journals the command (true).
  bool start_command(console_command request);
  void command_done(std::uint64_t token, const std::string& error);
  void answer(const console_command& request, const std::string& error);

  net::strand<net::any_io_executor> strand_;
  centre& records_;  // changed only here, on the strand: see centre::lock
  journal& store_;
  metrics& metrics_;
  std::shared_ptr<spdlog::logger> log_;
  desk desk_;
  std::uint64_t version_ = 0;
  std::vector<live_console> consoles_;
  std::map<std::string, presence> chosen_presence_;

  std::map<std::uint64_t, console_command> in_flight_;  // by request token
  static constexpr std::size_t max_waiting_per_case = 64;
  // A case has an entry while a command on it is in flight: the commands waiting behind it.
  std::map<std::int64_t, std::deque<console_command>> waiting_;
  std::uint64_t next_token_ = 1;

  // Changed cases not yet saved. The saved projection may lag the events safely: at start
  // the desk re-applies every event after the saved watermark. Saving at most every 200 ms
  // writes a case changed many times once, and keeps the journal's batches lean.
  std::set<std::int64_t> unsaved_;  // ids: the cases are copied from the desk when saved
  std::int64_t unsaved_watermark_ = 0;
  net::steady_timer save_timer_;
  bool save_scheduled_ = false;
  net::steady_timer tick_timer_;
  unsigned ticks_ = 0;

  carer_links& links_;
  responder_notifier notify_;
  device_listener device_changed_;
  access_listener access_ended_;
  std::set<std::pair<std::int64_t, int>> dispatched_;  // (case, attempt) sent in this run
  // How many timeline entries each open case had at its last update: the next update sends
  // only what changed (a case with 70 notes once sent 275 KB to every console per change).
  std::map<std::int64_t, std::size_t> timeline_sent_;
  struct carer_page {
    std::weak_ptr<console_subscriber> page;
    std::int64_t case_id;
    int attempt;
  };
  std::vector<carer_page> carer_pages_;
};

}  // namespace lantern
