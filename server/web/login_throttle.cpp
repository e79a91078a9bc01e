#include "web/login_throttle.hpp"

#include <algorithm>

namespace lantern {

std::int64_t login_throttle::wait_for(failures& times, std::size_t limit, std::int64_t now_ms) const {
  while (!times.empty() && times.front() <= now_ms - caps_.window_ms) times.pop_front();
  if (times.size() < limit) return 0;
  // Until the oldest failure that keeps it at the limit leaves the window.
  auto free_at = times[times.size() - limit] + caps_.window_ms;
  return std::max<std::int64_t>(1, (free_at - now_ms + 999) / 1000);
}

void login_throttle::forget_old(std::int64_t now_ms) {
  // Now and then, so that addresses seen once do not stay in memory for ever.
  if (now_ms - swept_at_ms_ < caps_.window_ms) return;
  swept_at_ms_ = now_ms;
  for (auto* map : {&by_source_, &by_username_})
    std::erase_if(*map,
                  [&](auto& entry) { return entry.second.empty() || entry.second.back() <= now_ms - caps_.window_ms; });
}

std::int64_t login_throttle::wait_s(const std::string& source, const std::string& username, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  forget_old(now_ms);
  std::int64_t wait = 0;
  if (auto it = by_source_.find(source); it != by_source_.end())
    wait = std::max(wait, wait_for(it->second, caps_.per_source, now_ms));
  if (auto it = by_username_.find(username); it != by_username_.end())
    wait = std::max(wait, wait_for(it->second, caps_.per_username, now_ms));
  return wait;
}

void login_throttle::failed(const std::string& source, const std::string& username, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  // Each bounded: past the limit, older failures no longer change the answer.
  for (auto [times, limit] : {std::pair{&by_source_[source], caps_.per_source},
                              std::pair{&by_username_[username.substr(0, 64)], caps_.per_username}}) {
    times->push_back(now_ms);
    if (times->size() > limit) times->pop_front();
  }
}

void login_throttle::succeeded(const std::string& username) {
  std::lock_guard lock(mutex_);
  by_username_.erase(username);
}

}  // namespace lantern
