#include "web/floor_view.hpp"

#include <ctime>
#include <map>

namespace lantern {
namespace {

namespace v1 = lantern::console::v1;

void fill_rate(v1::AnswerRate& out, const answer_summary& s) {
  out.set_calls(static_cast<std::uint32_t>(s.calls));
  out.set_met_60s(static_cast<std::uint32_t>(s.within_60s.met));
  out.set_missed_60s(static_cast<std::uint32_t>(s.within_60s.missed));
  out.set_met_180s(static_cast<std::uint32_t>(s.within_180s.met));
  out.set_missed_180s(static_cast<std::uint32_t>(s.within_180s.missed));
  out.set_share_60s(s.within_60s.share());
  out.set_share_180s(s.within_180s.share());
  out.set_opened_by_hand(static_cast<std::uint32_t>(s.opened_by_hand));
}

}  // namespace

v1::FloorView floor_view(const desk& cases, const centre& records, std::int64_t now_ms, std::int64_t today_from_ms) {
  v1::FloorView out;
  out.set_server_time_ms(now_ms);
  std::map<std::string, std::uint32_t> owned;
  std::uint32_t queued = 0, open = 0;
  std::int64_t longest = 0;
  for (const auto* c : cases.queue()) {
    ++open;
    if (c->state == case_state::queued) {
      ++queued;
      longest = std::max(longest, now_ms - c->opened_at_ms);
    } else {
      ++owned[c->owner];
    }
  }
  out.set_queued(queued);
  out.set_open(open);
  out.set_longest_wait_ms(longest);

  std::map<std::string, const operator_account*> by_name;  // a stable order on screen
  for (const auto& [username, account] : records.operators)
    if (works_cases(account.role)) by_name[username] = &account;
  for (const auto& [username, account] : by_name) {
    auto* o = out.add_operators();
    o->set_username(username);
    o->set_display_name(account->display_name);
    o->set_role(std::string(to_string(account->role)));
    auto it = cases.presence_on_floor().find(username);
    o->set_presence(std::string(to_string(it == cases.presence_on_floor().end() ? presence::offline : it->second)));
    o->set_cases(owned[username]);
  }

  constexpr std::int64_t hour_ms = 3600'000;
  auto hour = cases.answers().since(now_ms - hour_ms, now_ms);
  fill_rate(*out.mutable_last_hour(), hour);
  fill_rate(*out.mutable_today(), cases.answers().since(today_from_ms, now_ms));
  for (const auto& call : cases.answers().answer_times_since(now_ms - hour_ms)) {
    auto* t = out.add_answer_times();
    t->set_opened_at_ms(call.opened_at_ms);
    t->set_answer_ms(call.answer_ms);
  }
  out.set_below_target(hour.within_60s.share() < answer_target_share);
  return out;
}

std::int64_t local_midnight_ms(std::int64_t now_ms) {
  std::time_t now = static_cast<std::time_t>(now_ms / 1000);
  std::tm local{};
  localtime_r(&now, &local);
  local.tm_hour = local.tm_min = local.tm_sec = 0;
  local.tm_isdst = -1;  // let mktime decide on the day's daylight saving
  return static_cast<std::int64_t>(std::mktime(&local)) * 1000;
}

}  // namespace lantern
