#pragma once
// The journal as the rest of the server sees it: where alarms, case actions and record
// changes become durable, in one order. The SQLite journal (store/journal) is the embedded
// engine; a second engine implements this and nothing above it changes.

#include "centre/case_record.hpp"
#include "centre/record_change.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace lantern {

class event_journal {
 public:
  enum class outcome {
    stored,      // durably committed
    duplicate,   // this very alarm (device, epoch, seq and content) was stored before: ack again
    seq_reused,  // stored, but its seq was used before in this epoch for a different alarm
    failed,      // the commit failed; nothing of the batch is stored
    overloaded,  // the queue is full; the device should re-send later
  };
  // Every callback runs on the journal's own thread: post elsewhere, never block.
  using append_done = std::function<void(outcome)>;
  // After each commit: the alarms, case actions and record updates it stored, in order.
  using events_committed = std::function<void(std::vector<desk_event>)>;
  using action_failed = std::function<void(outcome)>;
  using change_done = std::function<void(change_result)>;

  virtual ~event_journal() = default;

  // An alarm from a device; `done` once it is durable (then it is acked), or why not.
  virtual void append(alarm_event alarm, append_done done) = 0;
  // A command on a case: reported through events_committed once durable, else `failed`.
  virtual void append_action(case_action action, action_failed failed) = 0;
  // An administrator's change, checked against what is stored and written with its audit
  // event. `done` comes after events_committed has been handed the update (when it is done).
  virtual void change_record(record_change change, change_done done) = 0;
  // The desk's changed cases and how far into the events it has applied.
  virtual void save_cases(std::vector<case_record> cases, std::int64_t applied_event_id) = 0;
  // When each device was last heard from: written in batches, not per heartbeat.
  virtual void save_last_seen(std::vector<std::pair<std::string, std::int64_t>> seen) = 0;

  // Runs `hook` on the journal's thread after each commit, once every `done` of it has run:
  // what gathers those for one hand-over passes it on there, one wake-up a commit rather
  // than one for each alarm that lands before the thread it wakes takes the core. At most
  // `most_commit_hooks`; each must outlive the journal's thread.
  static constexpr std::size_t most_commit_hooks = 4;
  virtual void after_each_commit(std::function<void()> hook) = 0;

  virtual std::size_t queue_depth() const = 0;
  // Why the last commit failed (a full disk, say), or "" once one succeeds again.
  virtual std::string storage_problem() const = 0;
};

}  // namespace lantern
