
#include "store/journal.hpp"

#include "store/audit_chain.hpp"
#include "store/case_store.hpp"
#include "store/database.hpp"
#include "store/row_hashes.hpp"
#include "store/seq_ledger.hpp"
#include "store/wal_room.hpp"

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

namespace lantern {
struct journal::writer {
  explicit writer(const std::string& path)
      : db(open_database(path, wal_writes::gathered, connection_use::one_thread)),
        stored_alarm(*db, "SELECT alarm_type, occurred_at_ms, detail FROM events WHERE id = ?"),
        insert_alarm(*db, R"(INSERT INTO events (recorded_at_ms, kind, device_id, device_seq,
            person_id, alarm_type, occurred_at_ms, detail, device_epoch, seq_reuse, resend_digest, actor, id, hash)
            VALUES (?, 'alarm', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))"),
        resent_lately(*db, R"(SELECT 1 FROM events WHERE device_id = ? AND resend_digest = ?
            AND recorded_at_ms >= ?)"),
        insert_action(*db, R"(INSERT INTO events (recorded_at_ms, kind, actor, payload, id, hash)
            VALUES (?, 'case_action', ?, ?, ?, ?))"),
        save_seen(*db, R"(INSERT INTO device_last_seen (device_id, last_seen_ms) VALUES (?, ?)
            ON CONFLICT (device_id) DO UPDATE SET last_seen_ms = max(last_seen_ms, excluded.last_seen_ms))"),
        last_event(*db, "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1"),
        cases(*db),
        seqs(*db) {}

  std::unique_ptr<SQLite::Database> db;
  SQLite::Statement stored_alarm;
  SQLite::Statement insert_alarm;
  SQLite::Statement resent_lately;
  SQLite::Statement insert_action;
  SQLite::Statement save_seen;
  SQLite::Statement last_event;
  case_writer cases;
  seq_ledger seqs;

  // The audit chain's last row, known to this thread while only it inserts events: each
  // alarm and case action is stored with its hash, rather than the chain's trigger reading
  // the row before and rewriting the new one. Forgotten whenever another statement may
  // have inserted events (a record change) or a commit failed.
  struct chain_head {
    std::int64_t id = 0;
    chain_digest hash{};
  };
  std::optional<chain_head> head;

  const chain_head& current_head() {
    if (!head) {
      head.emplace();
      if (last_event.executeStep()) {
        head->id = last_event.getColumn(0).getInt64();
        auto hash = last_event.getColumn(1);
        head->hash = chain_link(hash.isBlob() ? hash.getBlob() : nullptr, hash.getBytes());
      }
      last_event.reset();
    }
    return *head;
  }
};

// The default batch limit, 4096, amortises one fsync over thousands of alarms and still
// never holds the first requester for long.
journal::journal(const std::string& db_path, metrics& figures, std::shared_ptr<spdlog::logger> log,
                 std::size_t max_batch, std::size_t max_queue)
    : db_path_(db_path), metrics_(figures), log_(std::move(log)), max_batch_(max_batch), max_queue_(max_queue) {}

journal::~journal() {
  stop();
  writer_.reset();
  // Last, once the journal's own connections are closed: closing any descriptor of the file
  // drops every POSIX lock this process holds on it, SQLite's included.
  if (db_file_ >= 0) ::close(db_file_);
}

void journal::start(events_committed on_committed) {
  on_committed_ = std::move(on_committed);
  writer_ = std::make_unique<writer>(db_path_);
  // Commits never pay for copying the WAL into the database: a second thread does that.
  writer_->db->exec("PRAGMA wal_autocheckpoint=0");
  // (After the pragma, which clears the hook.) SQLite tells the length after each commit.
  sqlite3_wal_hook(
      writer_->db->getHandle(),
      [](void* self, sqlite3*, const char*, int frames) {
        static_cast<journal*>(self)->writer_wal_frames_ = frames;
        return SQLITE_OK;
      },
      this);
  writer_->db->exec("PRAGMA cache_size=-" + std::to_string(writer_cache_kib));
  // Before the first alarm: after a kill, a second or two of seqs to write, which would
  // otherwise hold the first commit's acks.
  SQLite::Transaction catching_up(*writer_->db);
  writer_->seqs.catch_up();
  catching_up.commit();
  // Before the first alarm: 0.1 s here, rather than a longer sync for each commit while the WAL grows.
  if (auto why = reserve_wal_room(*writer_->db, wal_file_limit_bytes); !why.empty())
    log_->warn(
        "journal: {}; commits extend the WAL as it grows (free {} MiB beside the database for it "
        "at the next start)",
        why, wal_file_limit_bytes >> 20);
  last_checkpoint_ = std::chrono::steady_clock::now();  // the first finishing pass waits for the helper's too
  // Any descriptor of the file syncs its pages (SQLite's own is not to be had); kept open
  // until the journal goes (see ~journal).
  db_file_ = ::open(db_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (db_file_ < 0) log_->warn("journal checkpointer cannot open {} to sync it: {}", db_path_, std::strerror(errno));
  // Named, so `top -H` and `perf` tell the writer's CPU from the I/O thread's.
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "journal");
    run();
  });
  checkpointer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "checkpointer");
    // Copying pages can wait; a device's ack cannot: on a busy core the I/O thread and the
    // writer come first (on Linux a nice value set this way is the calling thread's alone).
    setpriority(PRIO_PROCESS, 0, getpriority(PRIO_PROCESS, 0) + checkpointer_nicer_by);
    checkpoint_loop();
  });
}

void journal::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  checkpoint_wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  if (checkpointer_.joinable()) checkpointer_.join();
  if (std::string why; !timeline_.write(why)) log_->error("journal timeline: {}", why);
}

void journal::checkpoint_loop() {
  std::unique_ptr<SQLite::Database> db;
  try {
    db = open_database(db_path_, wal_writes::direct, connection_use::one_thread);
  } catch (const std::exception& e) {
    log_->error("journal checkpointer cannot open the database: {}", e.what());
    return;
  }
  {
    std::lock_guard handle(helper_db_mutex_);
    helper_db_ = db->getHandle();
  }
  int seen_a_turn_ago = 0;  // the WAL's frames when the last turn's first pass began
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    checkpoint_wake_.wait_for(lock, helper_interval_);
    if (stopping_) break;
    if (wal_crowded_) continue;  // the writer is finishing the checkpoint itself
    lock.unlock();
    helper_in_turn_ = true;
    // Each pass copies what the writer committed during the one before: a few in a row
    // leave the writer's finishing pass, which holds acks, little to copy.
    auto helper_pass = [&] {
      auto pass = timed_checkpoint(*db, journal_timeline::row::kind::helper_checkpoint);
      if (!pass.stopped && !pass.busy) helper_copied_at_ = std::chrono::steady_clock::now().time_since_epoch().count();
      return pass;
    };
    auto pass = helper_pass();
    int seen_now = pass.wal_frames;
    for (int more = 1; more < 4 && !wal_crowded_ && !pass.stopped; ++more) {
      auto before = pass.copied;
      pass = helper_pass();
      if (pass.copied - before <= 64) break;
    }
    // SQLite syncs the database file only in a pass that copies every frame, which under a
    // steady stream is the writer's finishing pass: it flushed all the pages the helper had
    // copied since (12-15 ms at 10,000 alarms/s pinned, acks held behind it). Synced here,
    // off the writer's path, that pass takes about 2 ms.
    if (db_file_ >= 0) {
      journal_timeline::row noted{.what = journal_timeline::row::kind::helper_sync, .began_us = wall_us()};
      if (::fdatasync(db_file_) != 0)
        log_->warn("journal checkpointer cannot sync the database file: {}", std::strerror(errno));
      noted.took_us = std::uint32_t(wall_us() - noted.began_us);
      timeline_.record(noted);
    }
    if (!pass.stopped) {  // a stopped pass is no reason for the writer's to follow it
      if (!pass.busy) {
        // Frames seen a turn ago and still not copied (in the same WAL, not one begun afresh
        // since): a reader older than a turn holds them, a backup or a long report.
        held_back_by_reader_ = seen_now >= seen_a_turn_ago && pass.copied < seen_a_turn_ago;
        seen_a_turn_ago = seen_now;
      }
      helper_wal_frames_ = pass.wal_frames;
      helper_passed_at_ = std::chrono::steady_clock::now().time_since_epoch().count();
    }
    helper_copied_at_ = std::chrono::steady_clock::now().time_since_epoch().count();
    helper_in_turn_ = false;
    lock.lock();
  }
  // The last pass once the writer has written what was queued: begun beside it, the pass
  // waited for the writer's lock while holding the checkpoint's (the writer's tries were all
  // turned away, 5,573 in one stop after a storm), and the writer's last commits were left
  // in the WAL.
  checkpoint_wake_.wait(lock, [&] { return writer_done_; });
  lock.unlock();
  {
    std::lock_guard handle(helper_db_mutex_);
    helper_db_ = nullptr;
  }
  try {
    db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } catch (const std::exception&) {
    // The writer may still be finishing; the next start checkpoints anyway.
  }
}

void journal::stop_helpers_pass() {
  std::lock_guard handle(helper_db_mutex_);
  if (helper_db_ != nullptr) sqlite3_interrupt(helper_db_);
}

// The WAL is started afresh before it outgrows its room.
static_assert(wal_bytes_for(journal::default_wal_frames_to_restart) < wal_file_limit_bytes);
// Nine tenths of the room: the writer restarts the WAL there whatever the helper does.
constexpr int wal_frames_near_room = int(wal_frames_in(wal_file_limit_bytes) * 9 / 10);
static_assert(journal::default_wal_frames_to_restart < wal_frames_near_room);

void journal::after_each_commit(std::function<void()> hook) {
  std::lock_guard lock(mutex_);  // two threads adding at once take different places
  auto n = commit_hook_count_.load();
  if (n == commit_hooks_.size()) throw std::logic_error("the journal takes at most four commit hooks");
  commit_hooks_[n] = std::move(hook);
  commit_hook_count_.store(n + 1, std::memory_order_release);
}

void journal::run_commit_hooks() {
  for (std::size_t i = 0, n = commit_hook_count_.load(std::memory_order_acquire); i < n; ++i) commit_hooks_[i]();
}

std::size_t journal::queue_depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void journal::append(alarm_event alarm, append_done done) {
  if (has_room()) {
    enqueue(append_request{std::move(alarm), std::move(done)});
    return;
  }
  done(outcome::overloaded);
  // Here, on the caller's thread: no commit may follow (the journal may be stopping) to pass
  // this refusal on.
  run_commit_hooks();
}

void journal::append_action(case_action action, action_failed failed) {
  if (has_room()) {
    enqueue(action_request{std::move(action), std::move(failed)});
    return;
  }
  failed(outcome::overloaded);
}

void journal::change_record(record_change change, change_done done) {
  if (has_room()) {
    enqueue(change_request{std::make_unique<pending_change>(pending_change{std::move(change), std::move(done), {}})});
    return;
  }
  done({change_result::status::failed, "the centre is busy: try again in a moment", std::nullopt});
}

void journal::write_change(pending_change& r, std::vector<desk_event>& stored) {
  auto& db = *writer_->db;
  // A savepoint of its own: a refused change, or one that fails, leaves the batch whole.
  db.exec("SAVEPOINT record_change");
  try {
    r.result = apply_change(db, r.change);
  } catch (const std::exception& e) {
    log_->error("record change to {} {} failed: {}", to_string(r.change.kind), r.change.id, e.what());
    r.result = {change_result::status::failed, "the change could not be stored: try again", std::nullopt};
  }
  if (r.result.outcome != change_result::status::done) {
    db.exec("ROLLBACK TO record_change");
    db.exec("RELEASE record_change");
    return;
  }
  db.exec("RELEASE record_change");
  if (is_audited_read(r.change.action)) return;  // nothing for the desk: answered at commit
  record_update update{r.change.kind, r.change.id, nullptr};
  if (r.result.current && r.result.current->active)
    update.now = std::make_shared<const any_record>(r.result.current->record);
  stored.emplace_back(std::in_place_type<record_update>, std::move(update));
}

std::string journal::storage_problem() const {
  std::lock_guard lock(mutex_);
  return storage_problem_;
}

bool journal::has_room() const {
  // Bounded: under overload the requester is told to try later rather than memory growing.
  std::lock_guard lock(mutex_);
  return queue_.size() < max_queue_ && !stopping_;
}

void journal::save_cases(std::vector<case_record> cases, std::int64_t applied_event_id) {
  enqueue(cases_request{std::move(cases), applied_event_id});
}

void journal::save_last_seen(std::vector<std::pair<std::string, std::int64_t>> seen) {
  if (!seen.empty()) enqueue(seen_request{std::move(seen)});
}

void journal::enqueue(request r) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) first_queued_at_ = std::chrono::steady_clock::now();
    queue_.push_back(std::move(r));
    ++enqueued_;
    // The writer waits for the first request, or for a gathering to fill: no wake-up for
    // each request in between. (Past the gathering the writer is busy committing, and a
    // notify with nobody waiting costs no system call.)
    wake = queue_.size() == 1 || queue_.size() >= gather_requests;
    metrics_.journal_queue_depth.Set(static_cast<double>(queue_.size()));
  }
  if (wake) wake_.notify_one();
}

void journal::run() {
  std::vector<request> batch;
  std::size_t queue_left = 0;
  bool streaming = false;  // requests came while the last commit ran
  std::uint64_t enqueued_before_commit = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      // Under a steady stream, a few requests a commit means a sync for every few alarms,
      // and the sync is most of what an alarm costs. Then the writer waits a little for
      // more, never past gather_wait after the oldest came. A lone alarm, found with the
      // writer idle, is committed at once.
      if (streaming && queue_.size() < gather_requests)
        wake_.wait_until(lock, first_queued_at_ + gather_wait,
                         [&] { return stopping_ || queue_.size() >= gather_requests; });
      if (queue_.empty()) {  // stopping, and everything is written
        lock.unlock();
        write_seqs_at_stop();
        log_chain_head_now_and_then(true);
        lock.lock();
        writer_done_ = true;
        checkpoint_wake_.notify_one();
        return;
      }
      if (queue_.size() <= max_batch_) {
        batch.swap(queue_);
      } else {
        batch.assign(std::make_move_iterator(queue_.begin()),
                     std::make_move_iterator(queue_.begin() + std::ptrdiff_t(max_batch_)));
        queue_.erase(queue_.begin(), queue_.begin() + std::ptrdiff_t(max_batch_));
      }
      queue_left = queue_.size();
      enqueued_before_commit = enqueued_;
      metrics_.journal_queue_depth.Set(static_cast<double>(queue_left));
    }
    commit(batch, queue_left);
    batch.clear();
    {
      // Counted, not read off the queue: a save's leftover cases go back into it.
      std::lock_guard lock(mutex_);
      streaming = enqueued_ != enqueued_before_commit;
    }
    finish_checkpoint_now_and_then();
    log_chain_head_now_and_then();
  }
}

void journal::write_seqs_at_stop() {
  // Not needed for a re-send to be known after the restart (the events say it too), but the
  // start is quicker.
  auto& w = *writer_;
  try {
    w.db->exec("BEGIN IMMEDIATE");
    w.seqs.write_all();
    w.db->exec("COMMIT");
  } catch (const std::exception& e) {
    log_->warn("the stored seqs could not be written at stop: {}; they are made again from the events at start",
               e.what());
    try {
      w.db->exec("ROLLBACK");
    } catch (const std::exception&) {
      // Rolled back already.
    }
  }
}

void journal::finish_checkpoint_now_and_then() {
  // Under a steady stream the helper's checkpoint never catches the last frames, and the
  // WAL would grow without end. The writer finishing it, between batches, lets the next
  // transaction start the WAL afresh. Made within 50 ms of the helper's passes, it copies
  // only what was committed since their last: at 10,000 alarms/s pinned, a finishing pass
  // at any moment took 14 ms at the median (it copied ~13,000 frames) and held every ack
  // queued behind it; right after the helper's, 8 ms, until the helper synced the database
  // file itself (now about 2 ms). Even so it is made once the WAL is long, not every second.
  auto now = std::chrono::steady_clock::now();
  auto since = now - last_checkpoint_;
  auto helper_passed = std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(helper_passed_at_));
  bool fresh = helper_passed > last_checkpoint_ && now - helper_passed < std::chrono::milliseconds(50);
  // While a reader holds the WAL no pass can finish it, and the one that follows the reader
  // copies everything it held: the helper's to make, off the acks' path. (With a reader
  // holding a read transaction 3 s of every 4 at 10,000 alarms/s pinned, the writer made 81
  // passes in 30 s, 270 ms in all, the longest 94.5 ms, acks held behind each.) A helper
  // that has ended no pass nor turn for three turns (starved of the core) may have seen
  // nothing since; within a turn, ten: its sync of the database file waits on the disk, and
  // under other processes' syncs counting it late after three made the writer's passes turn
  // the helper's away, which kept it late (a test failed 2 times in 30 beside fsync-heavy tests).
  auto helper_copied = std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(helper_copied_at_));
  bool helper_late = now - helper_copied >= (helper_in_turn_ ? 10 : 3) * helper_interval;
  bool held_back = held_back_by_reader_ && !helper_late;
  bool due = fresh && !held_back && (helper_wal_frames_ >= wal_frames_to_restart_ || since >= std::chrono::minutes(1));
  // Long for three of the helper's usual turns (helper_interval, whatever a test sets), or
  // near its room, the WAL is not being restarted as above: the helper is starved of the core
  // (a niced thread under overload; at 60,000 alarms/s offered to one core the WAL reached
  // 167 MB), or the writer's commits are too slow to find its passes fresh. The writer then
  // finishes without it, once a turn (should a reader keep the WAL from restarting), and the
  // helper skips its next passes: two checkpoints never run at once. A pass of the helper's
  // already running, which niced on a full core can last seconds (it turned 15-43 of the
  // writer's tries away a run, the WAL growing meanwhile), is stopped, and the writer tries
  // again after its next commit.
  show_wal_length(writer_wal_frames_);
  if (writer_wal_frames_ < wal_frames_to_restart_)
    wal_long_since_.reset();
  else if (!wal_long_since_)
    wal_long_since_ = now;
  bool crowded = !held_back && ((wal_long_since_ && now - *wal_long_since_ >= 3 * helper_interval) ||
                                writer_wal_frames_ >= wal_frames_near_room);
  wal_crowded_ = crowded;
  due = due || (crowded && since >= helper_interval);
  // Every five minutes whatever the helper did: it may be slow, or gone (its connection failed).
  if (!due && since < std::chrono::minutes(5)) return;
  auto pass = timed_checkpoint(*writer_->db, journal_timeline::row::kind::writer_checkpoint);
  if (pass.busy && crowded) {
    stop_helpers_pass();
    return;
  }
  last_checkpoint_ = now;
}

journal::checkpoint_pass journal::timed_checkpoint(SQLite::Database& db, journal_timeline::row::kind who) {
  journal_timeline::row noted{.what = who, .began_us = wall_us()};
  checkpoint_pass pass;
  try {
    // PASSIVE: copies what it can without ever blocking the writer.
    SQLite::Statement checkpoint(db, "PRAGMA wal_checkpoint(PASSIVE)");
    if (checkpoint.executeStep()) {
      pass.busy = checkpoint.getColumn(0).getInt() != 0;  // then -1 frames, -1 copied
      noted.wal_frames = checkpoint.getColumn(1).getInt();
      noted.copied = checkpoint.getColumn(2).getInt();
    }
  } catch (const SQLite::Exception& e) {
    pass.stopped = e.getErrorCode() == SQLITE_INTERRUPT;
    if (pass.stopped)
      noted.wal_frames = noted.copied = -1;  // in the timeline as a busy try is
    else
      log_->warn("journal checkpoint failed: {}", e.what());
  } catch (const std::exception& e) {
    log_->warn("journal checkpoint failed: {}", e.what());
  }
  noted.took_us = std::uint32_t(wall_us() - noted.began_us);
  timeline_.record(noted);
  if (!pass.busy && !pass.stopped) {
    pass.wal_frames = noted.wal_frames;
    pass.copied = noted.copied;
    if (pass.copied == pass.wal_frames) show_wal_copied_whole(pass.wal_frames);
  }
  return pass;
}

void journal::show_wal_length(int frames) {
  std::lock_guard lock(wal_gauge_mutex_);
  wal_frames_shown_ = frames;
  metrics_.journal_wal_bytes.Set(double(wal_bytes_for(frames)));
}

void journal::show_wal_copied_whole(int frames) {
  // Only the length the writer last showed: a pass that began before a later commit copied
  // none of that commit's frames. (After a storm with no commit since, the gauge held the
  // storm's length for good, and LanternWalHeldLong would have fired at an idle centre.)
  std::lock_guard lock(wal_gauge_mutex_);
  if (frames == wal_frames_shown_) metrics_.journal_wal_bytes.Set(0);
}

void journal::log_chain_head_now_and_then(bool at_stop) {
  // Outside the database, once a minute while events come: a trail cut short after a logged
  // head no longer reaches it (lantern-server --verify-audit prints the head to compare).
  auto now = std::chrono::steady_clock::now();
  if (!at_stop && now - last_head_logged_ < std::chrono::minutes(1)) return;
  try {
    auto head = audit_chain_head(*writer_->db);
    if (!head || head->first == head_logged_) return;
    last_head_logged_ = now;
    head_logged_ = head->first;
    log_->info("audit chain head: event {} {}", head->first, head->second);
  } catch (const std::exception& e) {
    log_->warn("cannot read the audit chain's head: {}", e.what());
  }
}

journal::outcome journal::insert_alarm(alarm_event& alarm) {
  auto& w = *writer_;
  auto insert = [&](int reuse) {
    const auto& head = w.current_head();
    std::int64_t id = head.id + 1;
    w.insert_alarm.bind(1, alarm.received_at_ms);
    w.insert_alarm.bind(2, alarm.device_id);
    w.insert_alarm.bind(3, static_cast<std::int64_t>(alarm.device_seq));
    w.insert_alarm.bind(4, alarm.person_id);
    w.insert_alarm.bind(5, std::string(to_string(alarm.type)));
    w.insert_alarm.bind(6, alarm.occurred_at_ms);
    w.insert_alarm.bind(7, alarm.detail);
    w.insert_alarm.bind(8, static_cast<std::int64_t>(alarm.device_epoch));
    w.insert_alarm.bind(9, reuse);
    w.insert_alarm.bind(11);
    if (!alarm.opened_by.empty()) {
      w.insert_alarm.bind(3);  // no device, no seq: one event per case opened by hand
      w.insert_alarm.bind(10);
      w.insert_alarm.bind(11, alarm.opened_by);
    } else if (alarm.resend_digest.empty()) {
      w.insert_alarm.bind(10);
    } else {
      // An alarm unit's seq wraps: the digest, not the seq, says what was stored.
      w.insert_alarm.bind(3);
      w.insert_alarm.bind(10, alarm.resend_digest.data(), static_cast<int>(alarm.resend_digest.size()));
    }
    auto digest = alarm_row_hash(head.hash, id, alarm, reuse);
    w.insert_alarm.bind(12, id);
    w.insert_alarm.bind(13, digest.data(), static_cast<int>(digest.size()));
    w.insert_alarm.exec();
    w.insert_alarm.reset();
    alarm.event_id = id;
    w.head = {id, digest};
  };
  if (!alarm.resend_digest.empty()) {
    // An alarm unit re-sends what was not acked: the same content lately is the same event.
    w.resent_lately.bind(1, alarm.device_id);
    w.resent_lately.bind(2, alarm.resend_digest.data(), static_cast<int>(alarm.resend_digest.size()));
    w.resent_lately.bind(3, alarm.received_at_ms - resend_window_ms);
    bool resent = w.resent_lately.executeStep();
    w.resent_lately.reset();
    if (resent) return outcome::duplicate;
    insert(0);
    return outcome::stored;
  }
  if (!alarm.opened_by.empty()) {  // no device, no seq
    insert(0);
    return outcome::stored;
  }
  seq_key key{alarm.device_id, alarm.device_epoch, alarm.device_seq};
  // Almost always a seq above the device's highest: new, without a read.
  if (!w.seqs.may_be_stored(key)) {
    insert(0);
    w.seqs.add(key, 0, alarm.event_id);
    return outcome::stored;
  }
  // The seq may have been used before in this epoch. The same alarm again is a re-send,
  // stored once; a different one (a counter that went back) is never dropped: it is stored
  // as the next reuse.
  int reuse = 0;
  bool used = false;
  for (const auto& stored : w.seqs.stored_under(key)) {
    used = true;
    reuse = std::max(reuse, stored.reuse + 1);
    w.stored_alarm.bind(1, stored.event_id);
    bool same = w.stored_alarm.executeStep() && w.stored_alarm.getColumn(0).getString() == to_string(alarm.type) &&
                w.stored_alarm.getColumn(1).getInt64() == alarm.occurred_at_ms &&
                w.stored_alarm.getColumn(2).getString() == alarm.detail;
    w.stored_alarm.reset();
    if (same) return outcome::duplicate;
  }
  insert(reuse);
  w.seqs.add(key, reuse, alarm.event_id);
  if (!used) return outcome::stored;  // a seq below the highest that was never stored (nacked, say)
  alarm.seq_reused = true;
  return outcome::seq_reused;
}

void journal::commit(std::vector<request>& batch, std::size_t queue_left) {
  auto started = std::chrono::steady_clock::now();
  journal_timeline::row noted{.began_us = timeline_.on() ? wall_us() : 0,
                              .requests = std::uint32_t(batch.size()),
                              .queue_left = std::uint32_t(queue_left)};
  std::vector<outcome> outcomes(batch.size(), outcome::failed);
  std::vector<desk_event> stored;
  // A save left unfinished, and any later save behind it, in order: for the next commit.
  std::vector<request> cases_left;
  auto& w = *writer_;
  try {
    w.db->exec("BEGIN IMMEDIATE");
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (auto* a = std::get_if<append_request>(&batch[i])) {
        auto& alarm = a->alarm;
        outcomes[i] = insert_alarm(alarm);
        // The request needs only its outcome from here on: the desk takes the alarm.
        if (outcomes[i] != outcome::duplicate) stored.emplace_back(std::in_place_type<alarm_event>, std::move(alarm));
      } else if (auto* a = std::get_if<action_request>(&batch[i])) {
        auto& action = a->action;
        const auto& head = w.current_head();
        std::int64_t id = head.id + 1;
        auto payload = to_payload(action.command);
        auto digest = action_row_hash(head.hash, id, action.at_ms, action.actor, payload);
        w.insert_action.bind(1, action.at_ms);
        w.insert_action.bind(2, action.actor);
        w.insert_action.bind(3, payload);
        w.insert_action.bind(4, id);
        w.insert_action.bind(5, digest.data(), static_cast<int>(digest.size()));
        w.insert_action.exec();
        w.insert_action.reset();
        w.head = {id, digest};
        outcomes[i] = outcome::stored;
        action.event_id = id;
        stored.emplace_back(std::in_place_type<case_action>, std::move(action));
      } else if (auto* r = std::get_if<change_request>(&batch[i])) {
        write_change(*r->pending, stored);
        w.head.reset();                 // a change stores events of its own, hashed by the trigger
        outcomes[i] = outcome::stored;  // committed with the batch; the result says what it did
      } else if (auto* s = std::get_if<seen_request>(&batch[i])) {
        for (const auto& [device_id, at_ms] : s->seen) {
          w.save_seen.bind(1, device_id);
          w.save_seen.bind(2, at_ms);
          w.save_seen.exec();
          w.save_seen.reset();
        }
      } else {
        auto& c = std::get<cases_request>(batch[i]);
        if (!cases_left.empty()) {  // never ahead of an older save's last cases
          cases_left.emplace_back(std::move(c));
          continue;
        }
        auto end = std::min(c.cases.size(), c.written + cases_per_commit);
        for (auto k = c.written; k < end; ++k) w.cases.write(c.cases[k]);
        noted.cases += std::uint32_t(end - c.written);
        c.written = end;
        // The watermark moves with the save's last case, never before.
        if (end == c.cases.size())
          w.cases.set_applied_event(c.applied_event_id);
        else
          cases_left.emplace_back(std::move(c));
      }
    }
    // A share of the stored seqs' round, more while alarms come faster than it is written.
    auto seqs_held = w.seqs.held();
    w.seqs.write_some(seqs_per_commit + 2 * stored.size(), started);
    noted.seqs = std::uint32_t(seqs_held - std::min(seqs_held, w.seqs.held()));
    w.db->exec("COMMIT");
    std::lock_guard lock(mutex_);
    storage_problem_.clear();
    metrics_.storage_failing.Set(0);
    queue_.insert(queue_.begin(), std::make_move_iterator(cases_left.begin()),
                  std::make_move_iterator(cases_left.end()));
  } catch (const std::exception& e) {
    log_->error("journal commit of {} requests failed: {}", batch.size(), e.what());
    {
      std::lock_guard lock(mutex_);
      storage_problem_ = e.what();
    }
    metrics_.journal_commit_failures.Increment();
    metrics_.storage_failing.Set(1);
    w.head.reset();   // the rows it followed may be gone with the transaction
    w.seqs.forget();  // and so may the seqs it holds
    try {
      w.db->exec("ROLLBACK");
    } catch (const std::exception&) {
      // Already rolled back by SQLite (e.g. on a full disk); nothing more to undo.
    }
    std::fill(outcomes.begin(), outcomes.end(), outcome::failed);
    stored.clear();
  }
  auto took = std::chrono::steady_clock::now() - started;
  metrics_.journal_batch_size.Observe(static_cast<double>(batch.size()));
  metrics_.journal_commit_seconds.Observe(std::chrono::duration<double>(took).count());
  if (timeline_.on()) {
    noted.took_us = std::uint32_t(std::chrono::duration_cast<std::chrono::microseconds>(took).count());
    noted.alarms = std::uint32_t(std::count_if(
        stored.begin(), stored.end(), [](const desk_event& e) { return std::holds_alternative<alarm_event>(e); }));
    timeline_.record(noted);
  }

  // The events to the desk before the acks: a stop (or anything else) asked after a device
  // saw its ack queues behind the alarm on the desk's strand, so a clean stop's save holds
  // every alarm acked. (With the desk on its own thread, acks first let a SIGTERM sent on
  // an ack save the cases without it.)
  if (!stored.empty() && on_committed_) on_committed_(std::move(stored));
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (auto* a = std::get_if<append_request>(&batch[i])) a->done(outcomes[i]);
    if (auto* a = std::get_if<action_request>(&batch[i]); a && outcomes[i] == outcome::failed) a->failed(outcomes[i]);
  }
  run_commit_hooks();
  // After the events: whoever applies them hears of a change once it has applied it.
  for (auto& r : batch) {
    auto* request = std::get_if<change_request>(&r);
    if (request == nullptr) continue;
    auto& change = *request->pending;
    if (outcomes[&r - batch.data()] == outcome::failed)
      change.result = {change_result::status::failed, "the change could not be stored: try again", std::nullopt};
    change.done(std::move(change.result));
  }
}

}  // namespace lantern
