#include "listener/waiting_room.hpp"

#include <algorithm>

namespace lantern {

waiting_room::drop_fn waiting_room::remove(seats::iterator it) {
  auto drop = std::move(it->drop);
  auto count = per_source_.find(it->source);
  if (--count->second == 0) per_source_.erase(count);
  by_id_.erase(it->id);
  in_order_.erase(it);
  return drop;
}

waiting_room::made_way waiting_room::enter(std::uint64_t id, const net::ip::address& source, drop_fn drop) {
  drop_fn dropped;
  auto way = made_way::nobody;
  {
    std::lock_guard lock(mutex_);
    // Seated again (a keep-alive connection between requests, say): its old seat goes first.
    if (auto seated = by_id_.find(id); seated != by_id_.end()) remove(seated->second);
    auto& from_source = per_source_[source];
    if (from_source >= caps_.per_source) {
      auto oldest = std::find_if(in_order_.begin(), in_order_.end(), [&](const seat& s) { return s.source == source; });
      dropped = remove(oldest);
      way = made_way::same_source;
    } else if (in_order_.size() >= caps_.total && !in_order_.empty()) {
      dropped = remove(in_order_.begin());
      way = made_way::anyone;
    }
    ++per_source_[source];  // looked up again: remove() may have erased the entry
    in_order_.push_back(seat{id, source, std::move(drop)});
    by_id_.emplace(id, std::prev(in_order_.end()));
  }
  if (dropped) dropped();
  return way;
}

void waiting_room::leave(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(id);
  if (it != by_id_.end()) remove(it->second);
}

std::size_t waiting_room::waiting() const {
  std::lock_guard lock(mutex_);
  return in_order_.size();
}

std::size_t waiting_room::waiting_from(const net::ip::address& source) const {
  std::lock_guard lock(mutex_);
  auto it = per_source_.find(source);
  return it == per_source_.end() ? 0 : it->second;
}

}  // namespace lantern
