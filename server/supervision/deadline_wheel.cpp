#include "supervision/deadline_wheel.hpp"

#include <algorithm>

namespace lantern {

deadline_wheel::deadline_wheel(std::uint32_t capacity, std::int64_t start_ms, std::int64_t slot_ms, std::uint32_t slots)
    : slot_ms_(slot_ms), nodes_(capacity), heads_(slots, none), next_tick_(start_ms / slot_ms) {}

std::uint32_t deadline_wheel::slot_of(std::int64_t due_ms) const {
  auto tick = due_ms / slot_ms_;
  return static_cast<std::uint32_t>(((tick % std::int64_t(heads_.size())) + std::int64_t(heads_.size())) %
                                    std::int64_t(heads_.size()));
}

void deadline_wheel::unlink(std::uint32_t id) {
  auto& n = nodes_[id];
  if (n.prev != none)
    nodes_[n.prev].next = n.next;
  else
    heads_[n.slot] = n.next;
  if (n.next != none) nodes_[n.next].prev = n.prev;
  n.prev = n.next = none;
  n.due_ms = unscheduled;
  --count_;
}

void deadline_wheel::schedule(std::uint32_t id, std::int64_t due_ms) {
  if (scheduled(id)) unlink(id);
  auto& n = nodes_[id];
  auto tick = due_ms / slot_ms_;
  if (tick < next_tick_) tick = next_tick_;
  n.slot = slot_of(tick * slot_ms_);
  auto& head = heads_[n.slot];
  n.due_ms = due_ms;
  n.prev = none;
  n.next = head;
  if (head != none) nodes_[head].prev = id;
  head = id;
  ++count_;
}

void deadline_wheel::remove(std::uint32_t id) {
  if (scheduled(id)) unlink(id);
}

void deadline_wheel::advance(std::int64_t now_ms, const std::function<void(std::uint32_t)>& expired) {
  auto now_tick = now_ms / slot_ms_;
  // After a long pause one turn visits every slot; the due times decide, not the slots.
  auto first = std::max(next_tick_, now_tick - std::int64_t(heads_.size()) + 1);
  std::vector<std::uint32_t> due;
  for (auto tick = first; tick <= now_tick; ++tick) {
    for (auto id = heads_[slot_of(tick * slot_ms_)]; id != none; id = nodes_[id].next)
      if (nodes_[id].due_ms <= now_ms) due.push_back(id);
  }
  next_tick_ = std::max(next_tick_, now_tick);
  std::sort(due.begin(), due.end(), [&](auto a, auto b) { return nodes_[a].due_ms < nodes_[b].due_ms; });
  for (auto id : due) {
    unlink(id);
    expired(id);
  }
}

}  // namespace lantern
