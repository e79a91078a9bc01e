#pragma once
// The only writer to the database while the server runs. Requests from every device
// session are queued and written by one thread, many to a transaction (group commit):
// one fsync makes a whole batch durable, and each requester is told only after it.

#include "centre/case_record.hpp"
#include "metrics/metrics.hpp"
#include "store/record_changes.hpp"

#include <spdlog/logger.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

namespace lantern {

class journal {
 public:
  enum class outcome {
    stored,      // durably committed
    duplicate,   // this very alarm (device, epoch, seq and content) was stored before: ack again
    seq_reused,  // stored, but its seq was used before in this epoch for a different alarm
    failed,      // the commit failed; nothing of the batch is stored
    overloaded,  // the queue is full; the device should re-send later
  };
  // Called on the journal thread: post elsewhere, never block.
  using append_done = std::function<void(outcome)>;
  // Called on the journal thread after each commit with the alarms and case actions it
  // stored, in commit order.
  using events_committed = std::function<void(std::vector<desk_event>)>;
  // Called on the journal thread when a case action could not be stored.
  using action_failed = std::function<void(outcome)>;

  journal(const std::string& db_path, metrics& figures, std::shared_ptr<spdlog::logger> log,
          std::size_t max_batch = 4096, std::size_t max_queue = 100'000);
  ~journal();
  journal(const journal&) = delete;
  journal& operator=(const journal&) = delete;

  void start(events_committed on_committed);
  // Writes everything queued so far, then stops the thread.
  void stop();

  void append(alarm_event alarm, append_done done);
  // An operator's command on a case: reported through events_committed once durable.
  void append_action(case_action action, action_failed failed);
  // An administrator's change to a record, checked and written with its audit event. A
  // change that is done reaches events_committed, in commit order with the alarms, and
  // `done` is called by whoever applies it (record_update::applied); one refused or failed
  // gets `done` on the journal thread.
  using change_done = std::function<void(change_result)>;
  void change_record(record_change change, change_done done);
  // Saves the desk's changed cases and how far into the events it has applied.
  void save_cases(std::vector<case_record> cases, std::int64_t applied_event_id);

  // When each device was last heard from: written in batches, not per heartbeat.
  void save_last_seen(std::vector<std::pair<std::string, std::int64_t>> seen);

  std::size_t queue_depth() const;
  // Why the last commit failed (a full disk, say), or "" once one succeeds again: /healthz
  // must not say ok while alarms are being nacked.
  std::string storage_problem() const;

 private:
  struct append_request {
    alarm_event alarm;
    append_done done;
  };
  struct cases_request {
    std::vector<case_record> cases;
    std::int64_t applied_event_id;
  };
  struct action_request {
    case_action action;
    action_failed failed;
  };
  struct seen_request {
    std::vector<std::pair<std::string, std::int64_t>> seen;
  };
  // Boxed: the queue's requests are mostly alarms, and a record inline would make each
  // of them ten times the size.
  struct pending_change {
    record_change change;
    change_done done;
    change_result result;
  };
  struct change_request {
    std::unique_ptr<pending_change> pending;
  };
  using request = std::variant<append_request, cases_request, action_request, seen_request, change_request>;
  void write_change(pending_change& r, std::vector<desk_event>& stored);
  outcome insert_alarm(alarm_event& alarm);  // inside the batch's transaction

  void run();
  void checkpoint_loop();
  void finish_checkpoint_now_and_then();
  void commit(std::vector<request>& batch);
  void enqueue(request r);
  bool has_room() const;

  struct writer;  // prepared statements, owned by the journal thread
  std::string db_path_;
  metrics& metrics_;
  std::shared_ptr<spdlog::logger> log_;
  std::size_t max_batch_;
  std::size_t max_queue_;
  events_committed on_committed_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;             // the writer: work queued, or stopping
  std::condition_variable checkpoint_wake_;  // the checkpointer: stopping
  std::vector<request> queue_;
  bool stopping_ = false;
  std::unique_ptr<writer> writer_;
  std::thread thread_;
  std::thread checkpointer_;
  std::chrono::steady_clock::time_point last_checkpoint_{};
  std::string storage_problem_;  // under mutex_
};

}  // namespace lantern
