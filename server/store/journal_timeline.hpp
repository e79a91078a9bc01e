#pragma once
// What the journal did, commit by commit, when asked (--journal-timeline FILE): to find what
// lay under a slow ack (a long commit, a deep queue, a large share of saved cases or seqs, a
// checkpoint). Held in memory, a bounded number of rows, and written out at stop, so a
// commit pays one append for it.

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace lantern {

class journal_timeline {
 public:
  // One commit, one checkpoint pass (by the writer or its helper thread), or a sync.
  struct row {
    // s: the helper syncing the database file after its passes.
    enum class kind : char { commit = 'c', writer_checkpoint = 'w', helper_checkpoint = 'h', helper_sync = 's' };
    kind what = kind::commit;
    std::int64_t began_us = 0;  // wall clock, µs since the epoch: a device's clock on this machine compares
    std::uint32_t took_us = 0;
    std::uint32_t requests = 0;    // in the batch
    std::uint32_t alarms = 0;      // stored by it
    std::uint32_t cases = 0;       // saved by it (the projection)
    std::uint32_t seqs = 0;        // of the seq ledger's round written by it
    std::uint32_t queue_left = 0;  // requests still queued when the batch was taken
    std::int32_t wal_frames = 0;   // a checkpoint's: in the WAL when it began
    std::int32_t copied = 0;       // and copied into the database, this pass's and earlier passes'
    // (Both -1: the pass did not run. Another held the checkpoint, or the writer stopped it.)
  };

  // Off until given a file (before any record): then record() does nothing.
  void write_at_stop_to(std::string path);
  bool on() const { return !path_.empty(); }
  // From any of the journal's threads.
  void record(const row& r);
  // Writes every row, oldest first, one line each; false (and `why`) when it cannot.
  bool write(std::string& why) const;

  static constexpr std::size_t max_rows = 2'000'000;  // ~70 MB: half an hour of commits at 1,000 a second

 private:
  std::string path_;
  mutable std::mutex mutex_;
  std::vector<row> rows_;
  std::uint64_t dropped_ = 0;  // past max_rows
};

// Microseconds since the epoch, on the wall clock.
std::int64_t wall_us();

}  // namespace lantern
