#pragma once
// The service report a centre manager takes to commissioners and TSA audits: over a period
// of local days, how fast alarm calls were answered, by whom, what the alarms were and how
// they ended, escalation to carers, technical alarms and plan reviews. Computed by replaying
// the events table through a desk of its own, so the same period always gives the same
// figures, after a restart too.

#include "centre/case_record.hpp"
#include "centre/centre.hpp"
#include "desk/desk.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lantern {

// [from_ms, to_ms): from local midnight of `from` to local midnight after `to`, in the zone.
struct report_period {
  std::string from;  // YYYY-MM-DD
  std::string to;    // YYYY-MM-DD, included
  std::string time_zone;
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
};
// Why not when a date is not a date, `to` is before `from`, the period is over 400 days or
// the zone is unknown.
std::optional<report_period> local_days(const std::string& from, const std::string& to, const std::string& time_zone,
                                        std::string& why);

struct operator_figures {
  std::string username;
  std::string name;
  std::size_t cases_handled = 0;  // cases they were first to accept (manual and technical too)
  // Nothing when there is nothing to take it over.
  std::optional<double> median_answer_s;  // over the alarm calls they answered
  std::optional<double> p90_answer_s;
  std::optional<double> median_handle_s;  // accept to resolve, over the cases they answered and that ended
};

// Answer-time bands for the distribution chart: up to 15 s, up to 30 s, ... up to 300 s,
// then over 300 s. "Up to" includes the end: 60 s exactly is within 60 s, as in the rates.
inline constexpr std::array<int, 8> answer_band_ends{15, 30, 45, 60, 90, 120, 180, 300};

struct service_report {
  report_period period;
  std::string centre_name;
  std::int64_t produced_at_ms = 0;
  bool in_progress = false;  // the period has not ended: its figures will still change

  // Alarm calls: opened in the period by a device (not technical, not by hand).
  std::size_t alarm_calls = 0;
  std::size_t answered_within_60s = 0;
  std::size_t answered_within_180s = 0;
  std::size_t decided_60s = 0;    // answered, or waited past 60 s unanswered
  std::size_t decided_180s = 0;   // the same for 180 s
  std::size_t still_waiting = 0;  // not answered when the report was made
  std::size_t manual_cases = 0;   // opened by an operator for a phone call: in no answer rate
  std::array<std::size_t, answer_band_ends.size() + 1> answer_bands{};
  // [weekday 0 = Monday][local hour]: calls opened, and their median answer time.
  std::array<std::array<std::size_t, 24>, 7> calls_by_day_hour{};
  std::array<std::array<std::optional<double>, 24>, 7> median_answer_by_day_hour{};
  std::optional<double> median_answer_s;

  std::vector<operator_figures> operators;  // by cases handled, most first

  std::map<std::string, std::size_t> alarms_by_type;  // every alarm received, repeats included
  std::map<std::string, std::map<std::string, std::size_t>>
      outcomes_by_type;  // cases opened in the period and resolved

  std::size_t escalations_started = 0;
  std::size_t escalations_reached_responder = 0;  // a carer said "I'm going"
  std::size_t escalations_handed_back = 0;
  std::size_t arrivals_overdue = 0;
  std::optional<double> median_to_on_the_way_s;  // from the escalation's start to the first "I'm going"

  std::size_t missed_checkins = 0;
  std::size_t low_batteries = 0;
  std::size_t missed_checkin_cases_open_at_end = 0;  // devices still silent when the period ended
  std::size_t plan_reviews_overdue_at_end = 0;       // people whose review was due before the period ended

  double share_60s() const { return decided_60s ? double(answered_within_60s) / double(decided_60s) : 1.0; }
  double share_180s() const { return decided_180s ? double(answered_within_180s) / double(decided_180s) : 1.0; }
};

// Fed every stored alarm and case action in the order they were stored, from the first.
class service_report_builder {
 public:
  // `records`: as stored now; the builder keeps its own copy (see apply).
  service_report_builder(centre records, report_period period, std::string centre_name);

  void apply(const desk_event& event);
  // `now_ms`: when the report is made (calls still waiting are judged against it).
  service_report finish(std::int64_t now_ms) const;

 private:
  struct case_facts {
    alarm_type type = alarm_type::pendant;
    bool by_hand = false;
    std::int64_t opened_at_ms = 0;
    std::int64_t answered_at_ms = 0;
    std::string answered_by;
    std::int64_t resolved_at_ms = 0;
    std::string outcome;
    std::int64_t escalated_at_ms = 0;
    std::int64_t on_the_way_at_ms = 0;
    bool handed_back = false;
    std::size_t overdue_arrivals = 0;
  };
  void observe(const case_record& c, std::int64_t at_ms);
  bool in_period(std::int64_t at_ms) const { return at_ms >= period_.from_ms && at_ms < period_.to_ms; }

  centre records_;  // declared before desk_, which reads it
  report_period period_;
  std::string centre_name_;
  desk desk_;
  std::map<std::int64_t, case_facts> cases_;  // opened in the period (or open across its end: missed check-ins)
  std::map<std::string, std::size_t> alarms_by_type_;
  std::size_t events_ = 0;
};

}  // namespace lantern
