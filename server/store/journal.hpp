#pragma once
// The only writer to the database while the server runs. Requests from every device
// session are queued and written by one thread, many to a transaction (group commit):
// one fsync makes a whole batch durable, and each requester is told only after it.

#include "centre/case_record.hpp"
#include "core/event_journal.hpp"
#include "metrics/metrics.hpp"
#include "store/journal_timeline.hpp"
#include "store/record_changes.hpp"

#include <spdlog/logger.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

struct sqlite3;

namespace lantern {

class journal final : public event_journal {
 public:
  journal(const std::string& db_path, metrics& figures, std::shared_ptr<spdlog::logger> log,
          std::size_t max_batch = 4096, std::size_t max_queue = 100'000);
  ~journal();
  journal(const journal&) = delete;
  journal& operator=(const journal&) = delete;

  // Before start: every commit and checkpoint is noted, and written to `path` at stop.
  void keep_timeline(std::string path) { timeline_.write_at_stop_to(std::move(path)); }
  // Before start: the WAL is started afresh once it is this many frames long (tests make it short).
  void restart_wal_after(int frames) { wal_frames_to_restart_ = frames; }
  // Before start: how often the helper checkpoints (tests hold it back to stand for a
  // helper starved of the core).
  void helper_every(std::chrono::milliseconds interval) { helper_interval_ = interval; }
  void start(events_committed on_committed);
  // Writes everything queued so far, then stops the thread.
  void stop();

  void append(alarm_event alarm, append_done done) override;
  void append_action(case_action action, action_failed failed) override;
  void change_record(record_change change, change_done done) override;
  void save_cases(std::vector<case_record> cases, std::int64_t applied_event_id) override;
  void save_last_seen(std::vector<std::pair<std::string, std::int64_t>> seen) override;
  void after_each_commit(std::function<void()> hook) override;
  std::size_t queue_depth() const override;
  std::string storage_problem() const override;

  // A commit holds the acks of every alarm in it, so what it writes besides them is spread
  // thin: at most this many of the projection's saved cases (a save of thousands never
  // holds an ack behind it), and of the seq ledger's round this many plus twice the
  // commit's alarms (enough to keep ahead of any intake). Measured at 10,000 alarms/s
  // pinned (tests/bench/ack_outliers.sh): commits carrying 64 cases took 2.1 ms at the
  // median and those carrying 256+ seqs 3.0 ms (p99 8.6 and 12.9 ms), against 0.5 ms.
  static constexpr std::size_t cases_per_commit = 16;
  static constexpr std::size_t seqs_per_commit = 64;
  // 64 MiB of 1 KiB pages, five seconds at 10,000 alarms/s: each restart costs the writer a
  // checkpoint pass, with acks held behind it (about 2 ms at that rate, the helper having
  // synced the database file).
  static constexpr int default_wal_frames_to_restart = 65536;
  // How often the checkpointer copies the WAL into the database and syncs the file. Its sync
  // shares the disk with the commits' syncs; every 100 ms it writes a fifth of what it wrote
  // every 500 ms. At 10,000 alarms/s pinned, three alternating pairs: ack p99 40, 37 and 26 ms
  // against 56, 38 and 45 ms; p99.9 59, 63 and 41 against 189, 66 and 70 ms.
  static constexpr std::chrono::milliseconds helper_interval{100};
  // How much nicer the checkpointer is than the rest of the server: on a core shared with the
  // I/O thread and the writer it yields to them. At 10,000 alarms/s pinned, three alternating
  // pairs (with the writer's connection rid of SQLite's mutexes too): ack p99.9 11.9, 18.3 and
  // 15.5 ms against 37.9, 32.6 and 20.7.
  static constexpr int checkpointer_nicer_by = 10;
  // The writer's page cache, in KiB (the other connections keep 64 MiB). SQLite gives a page
  // the lock-byte page's number (1 GiB in) for a moment while it reorders the pages of a
  // split B-tree node, and a commit after that drops every cached page past the database's
  // end by walking the whole cache: at 64 MiB, 12-14% of the writer's CPU at 5,000 alarms/s.
  // 8 MiB holds what a commit touches for 1,000 devices with no more reads (not measured at
  // 100,000, where a miss is a pread from the kernel's cache).
  static constexpr int writer_cache_kib = 8192;
  // Under a steady stream the writer gathers up to this many requests a commit, waiting at
  // most gather_wait after the oldest came (one sync for several alarms).
  static constexpr std::size_t gather_requests = 32;
  static constexpr std::chrono::microseconds gather_wait{1000};

 private:
  struct append_request {
    alarm_event alarm;
    append_done done;
  };
  struct cases_request {
    std::vector<case_record> cases;
    std::int64_t applied_event_id;
    std::size_t written = 0;  // saved by earlier commits: a large save is spread over several
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
  void write_seqs_at_stop();
  void finish_checkpoint_now_and_then();
  // What a passive checkpoint found: the WAL's frames, and those copied so far by this pass
  // and those before it since the WAL began afresh. Neither when it did not run: another
  // pass held the checkpoint (busy), or the writer stopped it (a helper's pass).
  struct checkpoint_pass {
    int wal_frames = 0;
    int copied = 0;
    bool busy = false;
    bool stopped = false;
  };
  checkpoint_pass timed_checkpoint(SQLite::Database& db, journal_timeline::row::kind who);
  void show_wal_length(int frames);        // the writer's, after each commit
  void show_wal_copied_whole(int frames);  // after any pass that copied every frame
  // Stops a pass of the helper's that is running (SQLite's checkpoint heeds an interrupt
  // between pages); none is started while the WAL is crowded.
  void stop_helpers_pass();
  void log_chain_head_now_and_then(bool at_stop = false);
  void commit(std::vector<request>& batch, std::size_t queue_left);
  void enqueue(request r);
  bool has_room() const;
  // After each commit's dones, and after an alarm's done refused at once (on the caller's
  // thread then: the hooks take any thread).
  void run_commit_hooks();

  struct writer;  // prepared statements, owned by the journal thread
  std::string db_path_;
  metrics& metrics_;
  std::shared_ptr<spdlog::logger> log_;
  std::size_t max_batch_;
  std::size_t max_queue_;
  events_committed on_committed_;
  // Added from any thread, called from the journal's: each is set before the count that
  // shows it (no lock on the commit's path).
  std::array<std::function<void()>, most_commit_hooks> commit_hooks_;
  std::atomic<std::size_t> commit_hook_count_{0};

  mutable std::mutex mutex_;
  std::condition_variable wake_;             // the writer: work queued, or stopping
  std::condition_variable checkpoint_wake_;  // the checkpointer: stopping, and the writer done
  std::vector<request> queue_;
  std::chrono::steady_clock::time_point first_queued_at_{};  // when queue_ last became non-empty
  std::uint64_t enqueued_ = 0;  // requests ever queued: the writer sees whether any came while it committed
  bool stopping_ = false;
  bool writer_done_ = false;  // stopping, and all that was queued is written
  std::unique_ptr<writer> writer_;
  std::thread thread_;
  std::thread checkpointer_;
  std::chrono::steady_clock::time_point last_checkpoint_{};
  // When the helper last finished its passes (steady clock ticks): right after, the writer's
  // own pass copies little.
  std::atomic<std::chrono::steady_clock::rep> helper_passed_at_{0};
  std::atomic<int> helper_wal_frames_{0};         // the WAL's length then
  std::atomic<bool> held_back_by_reader_{false};  // then, by a reader older than a turn
  // When any pass of the helper's, or its last turn, ended; and whether it is within a turn
  // (a pass or the database file's sync, which another process's syncs can make last 100s of ms).
  std::atomic<std::chrono::steady_clock::rep> helper_copied_at_{0};
  std::atomic<bool> helper_in_turn_{false};
  int wal_frames_to_restart_ = default_wal_frames_to_restart;
  std::chrono::milliseconds helper_interval_ = helper_interval;
  int writer_wal_frames_ = 0;  // the WAL's length after the writer's last commit (its thread only)
  // What /metrics shows of the WAL: the length the writer's last commit left, or 0 once a
  // pass copied all of it. Both threads set it, hence the lock.
  std::mutex wal_gauge_mutex_;
  int wal_frames_shown_ = 0;  // under wal_gauge_mutex_: the length the writer last showed
  std::optional<std::chrono::steady_clock::time_point> wal_long_since_;  // past the length since (writer's)
  std::atomic<bool> wal_crowded_{false};  // the writer finishes the checkpoint, the helper stands aside
  // The helper's connection while it checkpoints, for the writer to interrupt (the helper
  // clears it before its last pass at stop, and closes it after).
  std::mutex helper_db_mutex_;
  sqlite3* helper_db_ = nullptr;
  std::chrono::steady_clock::time_point last_head_logged_{};
  std::int64_t head_logged_ = 0;  // the event id last logged as the audit chain's head
  std::string storage_problem_;   // under mutex_
  journal_timeline timeline_;
  int db_file_ = -1;  // the database file, for the helper to sync it after its passes
};

}  // namespace lantern
