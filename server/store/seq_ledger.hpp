#pragma once
// Which device seqs are stored: what tells a re-sent alarm from a new one, across restarts.
//
// A unique index on the events table did this, and cost one random index page per alarm
// (alarms from many devices land on many leaves): most of what each commit wrote. Here the
// seqs stored lately are kept in memory, and written to their own table (alarm_seqs) in
// rounds: once a second, in key order, a bounded share per commit, so that a device's many
// seqs share a page. The events themselves are durable before any ack; after a crash, the
// seqs of the events past the last finished round are written again from them (catch_up).
//
// Nearly every alarm carries a seq above its device's highest, and is known new without a
// read; only a seq at or below it is looked up.
//
// Used by the journal's thread only, inside its transactions.

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lantern {

struct seq_key {
  std::string device_id;
  std::uint64_t epoch = 0;
  std::uint64_t seq = 0;
  auto operator<=>(const seq_key&) const = default;
};

// An alarm already stored under a seq: the nth reuse of it, and its event.
struct stored_seq {
  int reuse = 0;
  std::int64_t event_id = 0;
};

class seq_ledger {
 public:
  explicit seq_ledger(SQLite::Database& db);

  // False when the seq is above every seq stored for its device and epoch: certainly new.
  bool may_be_stored(const seq_key& key);
  // Every alarm stored under this seq.
  std::vector<stored_seq> stored_under(const seq_key& key);
  // An alarm inserted in the current transaction.
  void add(const seq_key& key, int reuse, std::int64_t event_id);
  // Writes part of the current round: at least `at_least` seqs, and more while the round is
  // behind the alarms coming in. A round starts a second after the last began.
  void write_some(std::size_t at_least, std::chrono::steady_clock::time_point now);
  // Writes everything held (at a clean stop).
  void write_all();
  // Writes the seqs of the events past the mark: what a crash left unwritten. Done at
  // start, and again at the next use after forget().
  void catch_up();
  // After a failed commit: memory may hold seqs that were never stored. Forgotten, and made
  // again from the stored events at the next use.
  void forget();

  std::size_t held() const { return round_.size() + fresh_.size(); }

 private:
  using entries = std::map<std::pair<seq_key, int>, std::int64_t>;  // (seq, reuse) → event
  struct range {                                                    // a device's seqs in one epoch
    std::string device_id;
    std::uint64_t epoch = 0;
    bool operator==(const range&) const = default;
  };
  struct range_hash {
    std::size_t operator()(const range& r) const noexcept;
  };
  std::uint64_t highest(const range& r);
  void write(entries::iterator from, entries::iterator to);

  SQLite::Database& db_;
  SQLite::Statement insert_;
  SQLite::Statement lookup_;
  SQLite::Statement highest_;
  SQLite::Statement set_written_;
  bool caught_up_ = false;
  entries round_;                   // being written, in key order
  entries fresh_;                   // stored since the round began
  std::int64_t round_through_ = 0;  // the last event of the round
  std::int64_t fresh_through_ = 0;
  std::chrono::steady_clock::time_point round_began_{};
  std::unordered_map<range, std::uint64_t, range_hash> highest_known_;
};

}  // namespace lantern
