#pragma once
// Slows password guessing: failed logins are counted per source address and per username
// over a sliding window; past a limit further attempts get 429 with Retry-After, before any
// password check runs (so a flood costs the centre no Argon2id work either). A success
// clears the username's count. Time is passed in: unit-tested with a fake clock.
//
// Per username the limit is higher than per address, and the lock short: someone guessing
// a night operator's name from many addresses must not lock them out of their shift.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace lantern {

class login_throttle {
 public:
  struct limits {
    std::size_t per_source = 10;  // failures in the window, from one address
    std::size_t per_username = 20;
    std::int64_t window_ms = 5 * 60 * 1000;
  };
  explicit login_throttle(limits caps) : caps_(caps) {}
  login_throttle() : login_throttle(limits{}) {}

  // 0 when an attempt may go ahead; otherwise the seconds to wait.
  std::int64_t wait_s(const std::string& source, const std::string& username, std::int64_t now_ms);
  void failed(const std::string& source, const std::string& username, std::int64_t now_ms);
  void succeeded(const std::string& username);

  // A bounded queue for the password checks: false when `max_checking` already wait or run.
  bool start_check() {
    if (checking_.fetch_add(1) < max_checking) return true;
    checking_.fetch_sub(1);
    return false;
  }
  void end_check() { checking_.fetch_sub(1); }
  static constexpr int max_checking = 32;

 private:
  using failures = std::deque<std::int64_t>;  // times, oldest first
  // Seconds until `times` is under `limit` again, dropping what has left the window.
  std::int64_t wait_for(failures& times, std::size_t limit, std::int64_t now_ms) const;
  void forget_old(std::int64_t now_ms);

  limits caps_;
  std::mutex mutex_;
  std::unordered_map<std::string, failures> by_source_;
  std::unordered_map<std::string, failures> by_username_;
  std::int64_t swept_at_ms_ = 0;
  std::atomic<int> checking_{0};
};

}  // namespace lantern
