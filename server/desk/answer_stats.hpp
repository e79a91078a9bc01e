#pragma once
// How quickly alarm calls are answered: the share answered within 60 s and 180 s over a
// window (the TEC Services Association targets: 97.5% and 99%).

#include "centre/alarm_types.hpp"

#include <cstdint>
#include <map>
#include <vector>

namespace lantern {

// How long answer figures are kept: "today" plus the last hour reaching back over midnight.
constexpr std::int64_t answer_history_ms = 25 * 3600'000LL;

struct answer_share {
  std::size_t met = 0;     // answered within the target
  std::size_t missed = 0;  // answered later, or still waiting past it
  // 1.0 when nothing has been decided yet: no call has missed.
  double share() const { return met + missed == 0 ? 1.0 : double(met) / double(met + missed); }
};

struct answer_summary {
  answer_share within_60s;
  answer_share within_180s;
  std::size_t calls = 0;           // alarm calls opened in the window
  std::size_t opened_by_hand = 0;  // cases operators opened for calls that came in by phone: in no rate
};

struct answered_call {
  std::int64_t opened_at_ms;
  std::int64_t answer_ms;  // how long it waited
};

class answer_stats {
 public:
  // Technical alarms (low battery, missed check-in, ...) are not alarm calls: not counted.
  void opened(std::int64_t case_id, alarm_type type, std::int64_t opened_at_ms);
  void answered(std::int64_t case_id, std::int64_t answered_at_ms);
  // A case an operator opened by hand: nobody waited for it, so it is only counted.
  void opened_by_hand(std::int64_t case_id, std::int64_t opened_at_ms);
  // Calls opened in [from_ms, now_ms]. One still waiting counts once it is past a target.
  answer_summary since(std::int64_t from_ms, std::int64_t now_ms) const;
  // Answer times of calls opened since `from_ms`, oldest first.
  std::vector<answered_call> answer_times_since(std::int64_t from_ms) const;
  // Keeps memory bounded: calls opened before `before_ms` are dropped.
  void forget_before(std::int64_t before_ms);

 private:
  struct call {
    std::int64_t opened_at_ms;
    std::int64_t answered_at_ms;  // 0 while waiting
  };
  std::map<std::int64_t, call> calls_;            // by case id, which follows opening order
  std::map<std::int64_t, std::int64_t> by_hand_;  // case id -> opened at
};

}  // namespace lantern
