#include "desk/service_report.hpp"

#include "centre/calendar.hpp"

#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace lantern {
namespace {

using namespace std::chrono;

constexpr std::int64_t most_days = 400;

std::optional<double> median_of(std::vector<double> values, double at = 0.5) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  // Nearest rank: the value at or above `at` of them, as a person would count.
  auto rank = static_cast<std::size_t>(std::ceil(at * double(values.size())));
  return values[std::max<std::size_t>(rank, 1) - 1];
}

struct local_time {
  int weekday;  // 0 = Monday
  int hour;
};

local_time local_of(std::int64_t at_ms, const date::time_zone* zone) {
  auto local = zone->to_local(sys_time<milliseconds>(milliseconds(at_ms)));
  auto day = floor<days>(local);
  auto hour = static_cast<int>(floor<hours>(local - day).count());
  unsigned iso = weekday(sys_days(day.time_since_epoch())).iso_encoding();  // 1 = Monday
  return {static_cast<int>(iso) - 1, hour};
}

}  // namespace

std::optional<report_period> local_days(const std::string& from, const std::string& to, const std::string& time_zone,
                                        std::string& why) {
  auto first = parse_iso_date(from);
  auto last = parse_iso_date(to);
  if (!first) {
    why = "from must be a date, YYYY-MM-DD, not '" + from + "'";
    return std::nullopt;
  }
  if (!last) {
    why = "to must be a date, YYYY-MM-DD, not '" + to + "'";
    return std::nullopt;
  }
  auto first_day = date::local_days(sys_days(*first).time_since_epoch());
  auto after_last = date::local_days(sys_days(*last).time_since_epoch()) + days(1);
  if (after_last <= first_day) {
    why = "to must not be before from";
    return std::nullopt;
  }
  if ((after_last - first_day).count() > most_days) {
    why = "a report covers at most " + std::to_string(most_days) + " days";
    return std::nullopt;
  }
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(time_zone);
  } catch (const std::exception&) {
    why = "unknown time zone '" + time_zone + "'";
    return std::nullopt;
  }
  // Midnight exists in every zone Lantern serves; where a change of clocks skips it, the
  // first instant after counts (choose::latest).
  auto start = zone->to_sys(first_day, date::choose::latest);
  auto end = zone->to_sys(after_last, date::choose::latest);
  return report_period{from, to, time_zone, duration_cast<milliseconds>(start.time_since_epoch()).count(),
                       duration_cast<milliseconds>(end.time_since_epoch()).count()};
}

namespace {

// The desk's rules re-check each command as it is applied. A stored command was checked
// when it was made, so the replay must not judge it again by today's accounts: an operator
// who has left since, or whose role changed, still answered those calls. Every account may
// do what a supervisor may, and resolved cases stay reopenable as long as any centre allows.
centre as_replayed(centre records) {
  for (auto& [username, account] : records.operators) account.role = operator_role::supervisor;
  return records;
}

desk_settings replay_settings() {
  desk_settings settings;
  settings.reopen_window_ms = 7LL * 24 * 3600'000;  // the longest --reopen-window allows
  return settings;
}

}  // namespace

service_report_builder::service_report_builder(centre records, report_period period, std::string centre_name)
    : records_(as_replayed(std::move(records))),
      period_(std::move(period)),
      centre_name_(std::move(centre_name)),
      desk_(records_, replay_settings()) {}

void service_report_builder::apply(const desk_event& event) {
  if (const auto* alarm = std::get_if<alarm_event>(&event)) {
    if (in_period(alarm->received_at_ms) && alarm->opened_by.empty())
      ++alarms_by_type_[std::string(to_string(alarm->type))];
    if (const auto* c = desk_.apply(*alarm)) observe(*c, alarm->received_at_ms);
  } else if (const auto* action = std::get_if<case_action>(&event)) {
    // An operator no longer in the records (deactivated): known again, under their username.
    if (is_console_command(action->command.kind) && !records_.operators.contains(action->actor)) {
      operator_account gone;
      gone.username = gone.display_name = action->actor;
      gone.role = operator_role::supervisor;
      records_.operators.emplace(action->actor, std::move(gone));
    }
    if (const auto* c = desk_.execute(*action)) observe(*c, action->at_ms);
  } else {
    return;
  }
  // Resolved cases past the reopen window leave the desk; their facts are kept here.
  if (++events_ % 4096 == 0) {
    auto at = std::visit(
        [](const auto& e) -> std::int64_t {
          if constexpr (std::is_same_v<std::decay_t<decltype(e)>, alarm_event>)
            return e.received_at_ms;
          else if constexpr (std::is_same_v<std::decay_t<decltype(e)>, case_action>)
            return e.at_ms;
          else
            return 0;
        },
        event);
    desk_.forget_before(at, at);
  }
}

void service_report_builder::observe(const case_record& c, std::int64_t at_ms) {
  // Cases opened in the period, and missed check-ins opened before it (still open at its end?).
  bool wanted = in_period(c.opened_at_ms) || (c.type == alarm_type::missed_checkin && c.opened_at_ms < period_.to_ms);
  if (!wanted) return;
  auto& f = cases_[c.case_id];
  f.type = c.type;
  f.opened_at_ms = c.opened_at_ms;
  f.by_hand = !c.timeline.empty() && c.timeline.front().kind == "opened_by_hand";
  if (f.answered_at_ms == 0 && c.answered_at_ms != 0) {
    f.answered_at_ms = c.answered_at_ms;
    f.answered_by = c.owner;
  }
  f.resolved_at_ms = c.resolved_at_ms;
  f.outcome = c.outcome;
  if (c.escalation.started_at_ms != 0 && f.escalated_at_ms == 0) f.escalated_at_ms = c.escalation.started_at_ms;
  auto s = c.escalation.status;
  if (f.on_the_way_at_ms == 0 && (s == escalation_status::responder_going ||
                                  s == escalation_status::responder_arrived || s == escalation_status::done))
    f.on_the_way_at_ms = at_ms;
  f.handed_back = f.handed_back || s == escalation_status::handed_back;
  f.overdue_arrivals = std::max<std::size_t>(
      f.overdue_arrivals, std::count_if(c.escalation.attempts.begin(), c.escalation.attempts.end(),
                                        [](const responder_attempt& a) { return a.arrival_overdue; }));
}

service_report service_report_builder::finish(std::int64_t now_ms) const {
  service_report r;
  r.period = period_;
  r.centre_name = centre_name_;
  r.produced_at_ms = now_ms;
  r.in_progress = now_ms < period_.to_ms;
  r.alarms_by_type = alarms_by_type_;
  const auto* zone = date::locate_zone(period_.time_zone);

  std::vector<double> answers;
  std::array<std::array<std::vector<double>, 24>, 7> answers_by_day_hour;
  std::vector<double> to_on_the_way;
  struct per_operator {
    std::size_t handled = 0;
    std::vector<double> answers, handles;
  };
  std::map<std::string, per_operator> by_operator;

  for (const auto& [id, f] : cases_) {
    if (f.type == alarm_type::missed_checkin && f.opened_at_ms < period_.to_ms &&
        (f.resolved_at_ms == 0 || f.resolved_at_ms >= period_.to_ms))
      ++r.missed_checkin_cases_open_at_end;
    if (!in_period(f.opened_at_ms)) continue;
    if (!f.answered_by.empty()) {
      auto& op = by_operator[f.answered_by];
      ++op.handled;
      if (f.resolved_at_ms) op.handles.push_back(double(f.resolved_at_ms - f.answered_at_ms) / 1000.0);
    }
    if (f.resolved_at_ms) ++r.outcomes_by_type[std::string(to_string(f.type))][f.outcome];
    if (f.escalated_at_ms) {
      ++r.escalations_started;
      if (f.on_the_way_at_ms) {
        ++r.escalations_reached_responder;
        to_on_the_way.push_back(double(f.on_the_way_at_ms - f.escalated_at_ms) / 1000.0);
      }
      r.escalations_handed_back += f.handed_back;
    }
    r.arrivals_overdue += f.overdue_arrivals;
    if (f.by_hand) {
      ++r.manual_cases;
      continue;
    }
    // Technical alarms (low battery, missed check-in, ...) are not alarm calls: as on the floor.
    if (default_priority(f.type) == priority::low) continue;
    ++r.alarm_calls;
    auto when = local_of(f.opened_at_ms, zone);
    ++r.calls_by_day_hour[when.weekday][when.hour];
    if (f.answered_at_ms == 0) {
      // Not answered yet: missed once past a target, undecided before it.
      ++r.still_waiting;
      auto waited = now_ms - f.opened_at_ms;
      r.decided_60s += waited > 60'000;
      r.decided_180s += waited > 180'000;
      continue;
    }
    auto answer_ms = f.answered_at_ms - f.opened_at_ms;
    ++r.decided_60s;
    ++r.decided_180s;
    r.answered_within_60s += answer_ms <= 60'000;  // exactly 60 s is within
    r.answered_within_180s += answer_ms <= 180'000;
    double seconds = double(answer_ms) / 1000.0;
    answers.push_back(seconds);
    answers_by_day_hour[when.weekday][when.hour].push_back(seconds);
    std::size_t band = 0;
    while (band < answer_band_ends.size() && answer_ms > answer_band_ends[band] * 1000LL) ++band;
    ++r.answer_bands[band];
    by_operator[f.answered_by].answers.push_back(seconds);
  }
  for (const auto& [id, f] : cases_) {
    if (!in_period(f.opened_at_ms)) continue;
    r.missed_checkins += f.type == alarm_type::missed_checkin;
    r.low_batteries += f.type == alarm_type::low_battery;
  }
  r.median_answer_s = median_of(answers);
  for (int d = 0; d < 7; ++d)
    for (int h = 0; h < 24; ++h) r.median_answer_by_day_hour[d][h] = median_of(answers_by_day_hour[d][h]);
  r.median_to_on_the_way_s = median_of(to_on_the_way);
  for (const auto& [username, op] : by_operator)
    r.operators.push_back({username, records_.display_name(username), op.handled, median_of(op.answers),
                           median_of(op.answers, 0.9), median_of(op.handles)});
  std::stable_sort(r.operators.begin(), r.operators.end(),
                   [](const auto& a, const auto& b) { return a.cases_handled > b.cases_handled; });

  // Reviews due before the period's last day ended, as the records stand now.
  auto end_date = period_.to;
  for (const auto& [id, p] : records_.persons)
    if (!p.plan.review_due.empty() && p.plan.review_due <= end_date) ++r.plan_reviews_overdue_at_end;
  return r;
}

}  // namespace lantern
