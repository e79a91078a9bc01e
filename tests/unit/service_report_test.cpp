// The service report against a fixture whose figures were worked out by hand (in the
// comments): exactly 60 s, a call still waiting at the period's end, a repeat, a technical
// alarm, a case opened by hand, an escalation, and the clocks going forward inside the period.
#include "desk/service_report.hpp"
#include "web/report_route.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace lantern {
namespace {

using namespace std::chrono;

// 2026-03-28 is a Saturday; on Sunday 2026-03-29 at 01:00 UTC the UK goes to BST.
std::int64_t utc(int day, int hour, int minute, int second = 0) {
  return duration_cast<milliseconds>(sys_days(year{2026} / March / day).time_since_epoch() + hours(hour) +
                                     minutes(minute) + seconds(second))
      .count();
}

carer make_carer(const std::string& id) {
  return carer{id, id, "friend", "+447700900001", id + "@example.org", {"en"}, "Europe/London", {}};
}

centre fixture_centre() {
  centre c;
  for (int i = 1; i <= 9; ++i) {
    person p;
    p.id = "p" + std::to_string(i);
    p.name = "Person " + std::to_string(i);
    c.persons[p.id] = p;
  }
  c.persons["p1"].plan.review_due = "2026-03-29";  // due on the last day: overdue at its end
  c.persons["p2"].plan.review_due = "2026-03-30";  // due after: not
  c.persons["p2"].plan.responders = {"sarah"};
  c.carers["sarah"] = make_carer("sarah");
  operator_account amira;
  amira.username = "amira";
  amira.display_name = "Amira Khan";
  c.operators["amira"] = amira;
  // Olu has left the centre since (no account): his calls still count, under his username.
  return c;
}

class ServiceReport : public ::testing::Test {
 protected:
  void alarm(const std::string& person, alarm_type type, std::int64_t at, const std::string& by_hand = "") {
    alarm_event e;
    e.event_id = ++event_id_;
    e.device_id = "dev-" + person;
    e.device_seq = static_cast<std::uint64_t>(event_id_);
    e.person_id = person;
    e.type = type;
    e.received_at_ms = e.occurred_at_ms = at;
    e.opened_by = by_hand;
    builder_.apply(e);
  }
  void act(const std::string& actor, command_kind kind, std::int64_t case_id, std::int64_t at,
           const std::string& outcome = "") {
    case_action a;
    a.event_id = ++event_id_;
    a.at_ms = at;
    a.actor = actor;
    a.command.kind = kind;
    a.command.case_id = case_id;
    a.command.outcome = outcome;
    a.command.note = outcome.empty() ? "" : "done";
    builder_.apply(a);
  }
  void reply(std::int64_t case_id, std::int64_t at, const std::string& answer) {
    case_action a;
    a.event_id = ++event_id_;
    a.at_ms = at;
    a.actor = "carer:sarah";
    a.command.kind = command_kind::responder_reply;
    a.command.case_id = case_id;
    a.command.step.attempt = 1;
    a.command.step.reply = answer;
    a.command.step.eta_min = 15;
    builder_.apply(a);
  }

  centre records_ = fixture_centre();
  report_period period_ = [] {
    std::string why;
    return *local_days("2026-03-28", "2026-03-29", "Europe/London", why);
  }();
  service_report_builder builder_{records_, period_, "Test centre"};
  std::int64_t event_id_ = 0;
};

TEST(ServiceReportPeriod, LocalDaysFollowTheZoneAcrossAChangeOfClocks) {
  std::string why;
  auto p = local_days("2026-03-28", "2026-03-29", "Europe/London", why);
  ASSERT_TRUE(p) << why;
  EXPECT_EQ(p->from_ms, utc(28, 0, 0));  // GMT
  EXPECT_EQ(p->to_ms, utc(29, 23, 0));   // midnight BST is 23:00 UTC
  EXPECT_EQ(p->to_ms - p->from_ms, 47 * 3600'000LL) << "the Sunday has 23 hours";
  EXPECT_FALSE(local_days("2026-03-29", "2026-03-28", "Europe/London", why));
  EXPECT_EQ(why, "to must not be before from");
  EXPECT_FALSE(local_days("2026-02-30", "2026-03-28", "Europe/London", why));
  EXPECT_EQ(why, "from must be a date, YYYY-MM-DD, not '2026-02-30'");
  EXPECT_FALSE(local_days("2026-03-01", "../etc", "Europe/London", why));
  EXPECT_EQ(why, "to must be a date, YYYY-MM-DD, not '../etc'");
  EXPECT_FALSE(local_days("2024-01-01", "2026-03-01", "Europe/London", why));
  EXPECT_EQ(why, "a report covers at most 400 days");
  EXPECT_FALSE(local_days("2026-03-01", "2026-03-02", "Mars/Olympus", why));
  EXPECT_EQ(why, "unknown time zone 'Mars/Olympus'");
}

TEST_F(ServiceReport, FiguresWorkedOutByHand) {
  // Before the period (Friday 23:59:30): in no figure.                        case 1
  alarm("p9", alarm_type::pendant, utc(27, 23, 59, 30));
  act("amira", command_kind::accept, 1, utc(28, 0, 0, 0));
  // A missed check-in from Friday, still open at the end: a device still silent.  case 2
  alarm("p8", alarm_type::missed_checkin, utc(27, 20, 0));
  // Saturday 10:00, answered in exactly 60 s: within 60. A repeat joins it.    case 3
  alarm("p1", alarm_type::pendant, utc(28, 10, 0));
  alarm("p1", alarm_type::pendant, utc(28, 10, 0, 20));
  act("amira", command_kind::accept, 3, utc(28, 10, 1, 0));
  act("amira", command_kind::resolve, 3, utc(28, 10, 10), "false_alarm");  // handled 540 s
  // Saturday 10:05, answered in 61 s by olu: within 180 only; escalated to Sarah,
  // who is on the way 4 minutes later.                                           case 4
  alarm("p2", alarm_type::fall, utc(28, 10, 5));
  act("olu", command_kind::accept, 4, utc(28, 10, 6, 1));
  act("olu", command_kind::escalate, 4, utc(28, 10, 7));
  reply(4, utc(28, 10, 11), "going");
  act("olu", command_kind::resolve, 4, utc(28, 10, 40), "carer_attended");  // handled 2039 s
  // A low battery: a technical alarm, in no answer rate.                        case 5
  alarm("p5", alarm_type::low_battery, utc(28, 12, 0));
  // A case amira opened by hand for a phone call: counted apart.                case 6
  alarm("p6", alarm_type::pendant, utc(28, 14, 0), "amira");
  act("amira", command_kind::resolve, 6, utc(28, 14, 5), "resolved_by_phone");  // handled 300 s
  // A missed check-in inside the period, closed when the device is heard.       case 7
  alarm("p5", alarm_type::missed_checkin, utc(28, 15, 0));
  act("system", command_kind::device_returned, 7, utc(28, 15, 30));
  // Sunday 00:30 GMT, answered in exactly 180 s: within 180, not 60.           case 8
  alarm("p3", alarm_type::pendant, utc(29, 0, 30));
  act("amira", command_kind::accept, 8, utc(29, 0, 33));
  // Sunday 01:30 UTC = 02:30 BST (the clocks went forward at 01:00 UTC): 200 s.  case 9
  alarm("p4", alarm_type::pendant, utc(29, 1, 30));
  act("amira", command_kind::accept, 9, utc(29, 1, 33, 20));
  // Sunday 23:58 BST, never answered: still waiting at the end (and at the report).  case 10
  alarm("p6", alarm_type::pendant, utc(29, 22, 58));
  // Midnight BST exactly: the next day, outside.                                 case 11
  alarm("p7", alarm_type::pendant, utc(29, 23, 0));

  auto r = builder_.finish(utc(29, 23, 30));
  EXPECT_FALSE(r.in_progress);
  EXPECT_EQ(r.centre_name, "Test centre");
  // Alarm calls: cases 3, 4, 8, 9, 10.
  EXPECT_EQ(r.alarm_calls, 5u);
  EXPECT_EQ(r.manual_cases, 1u);
  EXPECT_EQ(r.still_waiting, 1u);
  // 60 s: case 3 only, of 5 decided (case 10 waited 32 minutes by the report).
  EXPECT_EQ(r.answered_within_60s, 1u);
  EXPECT_EQ(r.decided_60s, 5u);
  EXPECT_DOUBLE_EQ(r.share_60s(), 0.2);
  // 180 s: cases 3, 4 and 8.
  EXPECT_EQ(r.answered_within_180s, 3u);
  EXPECT_EQ(r.decided_180s, 5u);
  // Answers 60, 61, 180, 200 s: bands ≤60, ≤90, ≤180, ≤300; median (nearest rank) 61.
  std::array<std::size_t, answer_band_ends.size() + 1> bands{0, 0, 0, 1, 1, 0, 1, 1, 0};
  EXPECT_EQ(r.answer_bands, bands);
  EXPECT_DOUBLE_EQ(r.median_answer_s.value_or(-1), 61);
  // Saturday (0 = Monday: 5) 10:00 twice; Sunday (6) at 00, 02 (BST) and 23 (BST).
  EXPECT_EQ(r.calls_by_day_hour[5][10], 2u);
  EXPECT_EQ(r.calls_by_day_hour[6][0], 1u);
  EXPECT_EQ(r.calls_by_day_hour[6][1], 0u) << "01:30 UTC on the Sunday is 02:30 local";
  EXPECT_EQ(r.calls_by_day_hour[6][2], 1u);
  EXPECT_EQ(r.calls_by_day_hour[6][23], 1u);
  EXPECT_DOUBLE_EQ(r.median_answer_by_day_hour[5][10].value_or(-1), 60);
  EXPECT_FALSE(r.median_answer_by_day_hour[0][0]) << "no calls: no median";
  // Operators: amira answered 3, 8, 9 and opened 6; olu answered 4.
  ASSERT_EQ(r.operators.size(), 2u);
  EXPECT_EQ(r.operators[0].username, "amira");
  EXPECT_EQ(r.operators[0].name, "Amira Khan");
  EXPECT_EQ(r.operators[0].cases_handled, 4u);
  EXPECT_DOUBLE_EQ(r.operators[0].median_answer_s.value_or(-1), 180);  // of 60, 180, 200
  EXPECT_DOUBLE_EQ(r.operators[0].p90_answer_s.value_or(-1), 200);
  EXPECT_DOUBLE_EQ(r.operators[0].median_handle_s.value_or(-1), 300);  // of 540 (case 3) and 300 (case 6)
  EXPECT_EQ(r.operators[1].username, "olu");
  EXPECT_EQ(r.operators[1].name, "olu");
  EXPECT_EQ(r.operators[1].cases_handled, 1u);
  EXPECT_DOUBLE_EQ(r.operators[1].median_answer_s.value_or(-1), 61);
  EXPECT_DOUBLE_EQ(r.operators[1].median_handle_s.value_or(-1), 2039);
  // Alarms by type: pendant 3 (+ its repeat), 8, 9, 10; the one by hand and those outside not.
  EXPECT_EQ(r.alarms_by_type.at("pendant"), 5u);
  EXPECT_EQ(r.alarms_by_type.at("fall"), 1u);
  EXPECT_EQ(r.alarms_by_type.at("low_battery"), 1u);
  EXPECT_EQ(r.alarms_by_type.at("missed_checkin"), 1u);
  EXPECT_EQ(r.outcomes_by_type.at("pendant").at("false_alarm"), 1u);
  EXPECT_EQ(r.outcomes_by_type.at("pendant").at("resolved_by_phone"), 1u);
  EXPECT_EQ(r.outcomes_by_type.at("fall").at("carer_attended"), 1u);
  // Escalation: one started, on the way after 240 s.
  EXPECT_EQ(r.escalations_started, 1u);
  EXPECT_EQ(r.escalations_reached_responder, 1u);
  EXPECT_EQ(r.escalations_handed_back, 0u);
  EXPECT_DOUBLE_EQ(r.median_to_on_the_way_s.value_or(-1), 240);
  // Technical: one low battery, one missed check-in in the period; Friday's still open.
  EXPECT_EQ(r.low_batteries, 1u);
  EXPECT_EQ(r.missed_checkins, 1u);
  EXPECT_EQ(r.missed_checkin_cases_open_at_end, 1u);
  EXPECT_EQ(r.plan_reviews_overdue_at_end, 1u);
}

TEST_F(ServiceReport, APeriodInProgressSaysSoAndACallWaitingUnder60sIsUndecided) {
  alarm("p1", alarm_type::pendant, utc(29, 12, 0));
  auto r = builder_.finish(utc(29, 12, 0, 30));
  EXPECT_TRUE(r.in_progress);
  EXPECT_EQ(r.alarm_calls, 1u);
  EXPECT_EQ(r.still_waiting, 1u);
  EXPECT_EQ(r.decided_60s, 0u) << "30 s into a wait nothing is decided yet";
  EXPECT_DOUBLE_EQ(r.share_60s(), 1.0);
  EXPECT_FALSE(r.median_answer_s) << "no answer yet: no median, rather than 0 s";
}

// A name is outside input: in the CSV it can neither break a row nor run as a formula
// when a manager opens the file in a spreadsheet.
TEST(ServiceReportCsv, NamesAreQuotedAndNeverRunAsFormulas) {
  service_report r;
  r.period = {"2026-03-28", "2026-03-29", "Europe/London", 0, 0};
  r.centre_name = "North, \"East\" centre";
  r.operators.push_back({"mallory", "=HYPERLINK(\"http://x\")", 1, 2.0, 3.0, std::nullopt});
  r.operators.push_back({"bob", "@SUM(1)\nline", 1, 2.0, 3.0, 4.0});
  auto csv = service_report_csv(r);
  EXPECT_NE(csv.find("period,centre,,\"North, \"\"East\"\" centre\"\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("operator,\"'=HYPERLINK(\"\"http://x\"\")\",cases_handled,1\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("operator,\"'@SUM(1)\nline\",cases_handled,1\r\n"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("\n="), std::string::npos);
  EXPECT_EQ(csv.find(",="), std::string::npos);
}

}  // namespace
}  // namespace lantern
