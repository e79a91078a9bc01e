#pragma once
// What alarm units sent that no record covers yet, for administrators: signals from
// accounts no device has ("unallocated signals": a new installation to allocate), and
// requests to change a unit's key (never applied until an administrator sets the key).
// Kept in memory and bounded: the oldest entry makes way; a unit that goes on sending comes
// back. In bytes too: every field comes from one frame (at most 1 KiB) and the event is cut
// to 80 characters, so 10,000 entries hold at most about 10 MiB. Thread-safe: receivers add from their threads, the records API reads.

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace lantern {

class unit_signals {
 public:
  struct unallocated {
    std::string account;
    std::int64_t first_seen_ms = 0;
    std::int64_t last_seen_ms = 0;
    std::uint64_t count = 0;
    std::string last_source;  // address the last frame came from
    std::string last_event;   // as far as it could be read
  };
  struct key_request {
    std::string device_id;
    std::string account;
    std::int64_t at_ms = 0;
    std::string fingerprint;  // of the new key; the key itself is never kept
  };

  explicit unit_signals(std::size_t max_entries = 10'000) : max_entries_(max_entries) {}

  void heard_unknown(const std::string& account, const std::string& source, const std::string& event,
                     std::int64_t at_ms);
  void key_change_requested(key_request request);
  // Allocated: the account now has a device.
  void forget(const std::string& account);

  std::vector<unallocated> unallocated_now() const;  // most recently seen first
  std::vector<key_request> key_requests() const;     // newest first

 private:
  std::size_t max_entries_;
  mutable std::mutex mutex_;
  std::list<unallocated> by_recency_;  // most recent first
  std::unordered_map<std::string, std::list<unallocated>::iterator> by_account_;
  std::list<key_request> key_requests_;  // newest first
};

}  // namespace lantern
