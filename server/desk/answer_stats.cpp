#include "desk/answer_stats.hpp"

#include "desk/deadlines.hpp"

namespace lantern {
namespace {

void count(answer_share& share, std::int64_t waited_ms, bool answered, std::int64_t target_ms) {
  if (answered)
    ++(waited_ms <= target_ms ? share.met : share.missed);
  else if (waited_ms > target_ms)
    ++share.missed;  // still waiting and already late: a miss whatever happens next
}

}  // namespace

void answer_stats::opened(std::int64_t case_id, alarm_type type, std::int64_t opened_at_ms) {
  if (default_priority(type) == priority::low) return;
  calls_.emplace(case_id, call{opened_at_ms, 0});
}

void answer_stats::answered(std::int64_t case_id, std::int64_t answered_at_ms) {
  auto it = calls_.find(case_id);
  if (it != calls_.end() && it->second.answered_at_ms == 0) it->second.answered_at_ms = answered_at_ms;
}

void answer_stats::opened_by_hand(std::int64_t case_id, std::int64_t opened_at_ms) {
  by_hand_.emplace(case_id, opened_at_ms);
}

answer_summary answer_stats::since(std::int64_t from_ms, std::int64_t now_ms) const {
  answer_summary out;
  for (const auto& [_, at] : by_hand_) out.opened_by_hand += at >= from_ms && at <= now_ms;
  for (const auto& [_, c] : calls_) {
    if (c.opened_at_ms < from_ms || c.opened_at_ms > now_ms) continue;
    ++out.calls;
    bool answered = c.answered_at_ms != 0;
    std::int64_t waited = (answered ? c.answered_at_ms : now_ms) - c.opened_at_ms;
    count(out.within_60s, waited, answered, answer_target_ms);
    count(out.within_180s, waited, answered, answer_target_long_ms);
  }
  return out;
}

std::vector<answered_call> answer_stats::answer_times_since(std::int64_t from_ms) const {
  std::vector<answered_call> out;
  for (const auto& [_, c] : calls_)
    if (c.opened_at_ms >= from_ms && c.answered_at_ms != 0)
      out.push_back({c.opened_at_ms, c.answered_at_ms - c.opened_at_ms});
  return out;
}

void answer_stats::forget_before(std::int64_t before_ms) {
  std::erase_if(calls_, [&](const auto& entry) { return entry.second.opened_at_ms < before_ms; });
  std::erase_if(by_hand_, [&](const auto& entry) { return entry.second < before_ms; });
}

}  // namespace lantern
