#pragma once
// Operators' consoles, as the core's subscriber: a snapshot when a console opens (or asks
// again after a gap), then every change in order, serialised once into the update log that
// every console reads from. Access details go only to the owner's consoles, and the floor
// figures only to supervisors' and admins'. Commands from a console go to the core, and
// their answers come back to that console.

#include "core/desk_core.hpp"
#include "web/case_delta.hpp"
#include "web/update_log.hpp"

#include <memory>
#include <string>
#include <vector>

namespace lantern {

// A live console (or carer page), as the core's subscribers see it.
class console_subscriber {
 public:
  virtual ~console_subscriber() = default;
  // Called on the core's strand with messages in version order, or from a lookup's thread;
  // queue and return at once. Sent after the updates logged before it.
  virtual void deliver(std::shared_ptr<const std::string> message) = 0;
  // A console's snapshot, made with the update log at `resume`: the updates logged from
  // there on follow it.
  virtual void deliver_snapshot(std::shared_ptr<const std::string> message, update_log::position resume) = 0;
  // Updates were logged. From the core's strand, once a burst.
  virtual void updates_arrived() = 0;
  // Once a second, from the core's strand: a console whose write has been stuck while the
  // log moved on is not reading.
  virtual void check_reading() = 0;
};

// Delivers the answer to a command on `console`, as the result for `request_id`.
std::function<void(const command_answer&)> answer_on(std::weak_ptr<console_subscriber> console, std::string request_id);

class console_fanout final : public desk_subscriber {
 public:
  // `kept_bytes`: how far behind the newest update a console may read from the log.
  console_fanout(desk_core& core, std::size_t kept_bytes) : core_(core), log_(kept_bytes) {}

  const update_log& updates() const { return log_; }

  // Thread-safe. Sends a snapshot, then every update, to `console` until it goes away.
  void subscribe(std::weak_ptr<console_subscriber> console, std::string username);
  // Thread-safe. A console has gone: an operator with no console left is offline.
  void unsubscribe(std::string username);
  // Thread-safe. Sends `console` a fresh snapshot (after it saw a version gap).
  void resync(std::weak_ptr<console_subscriber> console, std::string username);
  // Thread-safe. A command from `console`, answered there with `request_id`.
  void command(std::weak_ptr<console_subscriber> console, std::string actor, std::string request_id,
               case_command command);

  void case_changed(const case_record& c, const case_change& change) override;
  void presence_chosen(const std::string& username, presence state) override;
  void ticked(std::int64_t now_ms, bool minute) override;

 private:
  struct live_console {
    std::weak_ptr<console_subscriber> console;
    std::string username;
    bool sees_floor;  // supervisors and admins get the floor figures
  };

  void broadcast_update(const case_record& c, bool with_person);
  void send_to_user(const std::string& username, const std::shared_ptr<const std::string>& message);
  void send_access(const case_record& c);
  const person* access_of(const case_record& c) const;
  std::shared_ptr<const std::string> snapshot_for(const std::string& username) const;
  void send_floor_view();
  void wake_consoles();

  desk_core& core_;  // everything below is touched only on its strand
  std::uint64_t version_ = 0;
  std::vector<live_console> consoles_;
  update_log log_;
  bool wake_posted_ = false;  // the consoles are told once a burst, not once an update
  // What the consoles have of each open case: the next update sends only what changed (a
  // case with 70 notes once sent 275 KB to every console per change).
  case_delta sent_;
};

}  // namespace lantern
