#include "core/unit_signals.hpp"

namespace lantern {

void unit_signals::heard_unknown(const std::string& account, const std::string& source, const std::string& event,
                                 std::int64_t at_ms) {
  std::lock_guard lock(mutex_);
  auto found = by_account_.find(account);
  if (found == by_account_.end()) {
    if (by_recency_.size() >= max_entries_) {
      by_account_.erase(by_recency_.back().account);
      by_recency_.pop_back();
    }
    by_recency_.push_front({account, at_ms, at_ms, 0, {}, {}});
    found = by_account_.emplace(account, by_recency_.begin()).first;
  } else {
    by_recency_.splice(by_recency_.begin(), by_recency_, found->second);
  }
  auto& entry = *found->second;
  entry.last_seen_ms = at_ms;
  entry.count += 1;
  entry.last_source = source;
  entry.last_event = event;
}

void unit_signals::key_change_requested(key_request request) {
  std::lock_guard lock(mutex_);
  if (key_requests_.size() >= max_entries_) key_requests_.pop_back();
  key_requests_.push_front(std::move(request));
}

void unit_signals::forget(const std::string& account) {
  std::lock_guard lock(mutex_);
  auto found = by_account_.find(account);
  if (found == by_account_.end()) return;
  by_recency_.erase(found->second);
  by_account_.erase(found);
}

std::vector<unit_signals::unallocated> unit_signals::unallocated_now() const {
  std::lock_guard lock(mutex_);
  return {by_recency_.begin(), by_recency_.end()};
}

std::vector<unit_signals::key_request> unit_signals::key_requests() const {
  std::lock_guard lock(mutex_);
  return {key_requests_.begin(), key_requests_.end()};
}

}  // namespace lantern
