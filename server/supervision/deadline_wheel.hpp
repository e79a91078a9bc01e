#pragma once
// One deadline per device in one structure: a hashed timing wheel of one-second slots. Each
// device has a fixed node (24 bytes) in a vector, linked into the slot of its deadline, so
// rescheduling on every heartbeat is an unlink and a link: no allocation, no timer object per
// device, no heap to rebalance. Advancing visits only the slots passed since the last call.
// Pure and clock-free: time comes in with each call.

#include <cstdint>
#include <functional>
#include <vector>

namespace lantern {

class deadline_wheel {
 public:
  static constexpr std::uint32_t none = UINT32_MAX;

  // `capacity`: ids are 0..capacity-1; `start_ms`: the wheel's first moment. `slot_ms` and
  // `slots`: a deadline further off than one turn (slots × slot_ms) waits in its slot for
  // the turns in between.
  deadline_wheel(std::uint32_t capacity, std::int64_t start_ms, std::int64_t slot_ms = 1000,
                 std::uint32_t slots = 4096);

  // Sets (or moves) `id`'s deadline.
  void schedule(std::uint32_t id, std::int64_t due_ms);
  void remove(std::uint32_t id);
  // Makes room for ids up to `capacity` - 1 (a device added while the server runs).
  void grow(std::uint32_t capacity) {
    if (capacity > nodes_.size()) nodes_.resize(capacity);
  }
  bool scheduled(std::uint32_t id) const { return nodes_[id].due_ms != unscheduled; }
  std::int64_t due(std::uint32_t id) const { return nodes_[id].due_ms; }
  // Calls `expired(id)` for every deadline at or before `now_ms` (each removed first, so the
  // callback may schedule it again), oldest slot first.
  void advance(std::int64_t now_ms, const std::function<void(std::uint32_t)>& expired);
  std::size_t size() const { return count_; }

 private:
  static constexpr std::int64_t unscheduled = INT64_MIN;
  struct node {
    std::int64_t due_ms = unscheduled;
    std::uint32_t prev = none;
    std::uint32_t next = none;
    std::uint32_t slot = 0;  // where it is linked: a deadline already past goes in the next slot visited
  };
  std::uint32_t slot_of(std::int64_t due_ms) const;
  void unlink(std::uint32_t id);

  std::int64_t slot_ms_;
  std::vector<node> nodes_;
  std::vector<std::uint32_t> heads_;  // first node of each slot
  // The slot tick to visit first at the next advance: the current tick is visited again
  // each time, since its deadlines fall due through the slot's second.
  std::int64_t next_tick_;
  std::size_t count_ = 0;
};

}  // namespace lantern
