// Each case's next deadline, and the answer-rate arithmetic of the supervisor view, with a
// fake clock.
#include "desk/answer_stats.hpp"
#include "desk/deadlines.hpp"
#include "desk/escalation_chain.hpp"
#include "web/floor_view.hpp"

#include <gtest/gtest.h>

namespace lantern {
namespace {

TEST(Deadlines, AQueuedCaseOfferedByLanguageFirstWidensThenMeetsBothAnswerTargets) {
  case_record c;
  c.opened_at_ms = 10'000;
  c.language_first_until_ms = 30'000;
  auto d = deadlines_of(c, centre{});
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].label, "offered to all operators");
  EXPECT_EQ(d[0].at_ms, 30'000);
  EXPECT_EQ(d[1].at_ms, 70'000);
  EXPECT_EQ(d[2].at_ms, 190'000);
}

TEST(Deadlines, AQueuedCaseOfferedToEveryoneHasOnlyTheAnswerTargets) {
  case_record c;
  c.opened_at_ms = c.language_first_until_ms = 10'000;
  auto d = deadlines_of(c, centre{});
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].label, "60 s answer target");
}

TEST(Deadlines, AnEscalatedCaseWaitsForTheResponderBeingCalledThenForTheirArrival) {
  centre records;
  person p;
  p.id = "ann";
  p.plan.escalation.ack_timeout_s = 300;
  p.plan.responders = {"sarah"};
  records.persons["ann"] = p;
  records.carers["sarah"] = carer{"sarah", "Sarah Lee", "daughter", "+447700900001", "", {}, "Europe/London", {}};
  case_record c;
  c.person_id = "ann";
  c.state = case_state::escalated;
  c.escalated_at_ms = 1000;
  escalation_chain(c, records, 600'000).start(1000);
  auto d = deadlines_of(c, records);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].label, "Sarah Lee to reply");
  EXPECT_EQ(d[0].at_ms, 301'000);

  case_command going{command_kind::responder_reply, 0, "", "", "", "", "", "", "", "", {}};
  going.step.attempt = 1;
  going.step.reply = "going";
  going.step.eta_min = 15;
  escalation_chain(c, records, 600'000).apply_step({2, 61'000, carer_actor("sarah"), going, 0});
  d = deadlines_of(c, records);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].label, "Sarah Lee to arrive");
  EXPECT_EQ(d[0].at_ms, 61'000 + 15 * 60'000);
  EXPECT_EQ(d[1].at_ms, 61'000 + 25 * 60'000);
}

TEST(Deadlines, AnAcceptedCaseHasAFollowUpDeadlineFromWhenItsOwnerTookIt) {
  case_record c;
  c.state = case_state::accepted;
  c.owned_since_ms = 5000;
  auto d = deadlines_of(c, centre{});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].at_ms, 5000 + follow_up_after_ms);
}

TEST(AnswerRates, CallsAnsweredWithinEachTargetCountAsMet) {
  answer_stats stats;
  stats.opened(1, alarm_type::pendant, 0);
  stats.answered(1, 30'000);  // 30 s: both targets met
  stats.opened(2, alarm_type::fall, 0);
  stats.answered(2, 90'000);  // 90 s: 60 s missed, 180 s met
  stats.opened(3, alarm_type::pendant, 0);
  stats.answered(3, 200'000);  // 200 s: both missed
  auto s = stats.since(0, 500'000);
  EXPECT_EQ(s.calls, 3u);
  EXPECT_EQ(s.within_60s.met, 1u);
  EXPECT_EQ(s.within_60s.missed, 2u);
  EXPECT_EQ(s.within_180s.met, 2u);
  EXPECT_EQ(s.within_180s.missed, 1u);
  EXPECT_DOUBLE_EQ(s.within_60s.share(), 1.0 / 3.0);
}

TEST(AnswerRates, ACallStillWaitingCountsAsMissedOnlyOncePastTheTarget) {
  answer_stats stats;
  stats.opened(1, alarm_type::pendant, 0);
  EXPECT_EQ(stats.since(0, 59'000).within_60s.missed, 0u);
  EXPECT_EQ(stats.since(0, 61'000).within_60s.missed, 1u);
  EXPECT_EQ(stats.since(0, 61'000).within_180s.missed, 0u);
}

TEST(AnswerRates, TechnicalAlarmsAreNotCalls) {
  answer_stats stats;
  stats.opened(1, alarm_type::low_battery, 0);
  stats.opened(2, alarm_type::missed_checkin, 0);
  EXPECT_EQ(stats.since(0, 999'000).calls, 0u);
  EXPECT_DOUBLE_EQ(stats.since(0, 999'000).within_60s.share(), 1.0);
}

TEST(AnswerRates, TheWindowCountsCallsOpenedInIt) {
  answer_stats stats;
  stats.opened(1, alarm_type::pendant, 0);  // before the window: not counted
  stats.opened(2, alarm_type::pendant, 3'600'000);
  stats.answered(2, 3'610'000);
  auto hour = stats.since(3'600'000, 3'700'000);
  EXPECT_EQ(hour.calls, 1u);
  EXPECT_EQ(hour.within_60s.met, 1u);
  ASSERT_EQ(stats.answer_times_since(3'600'000).size(), 1u);
  EXPECT_EQ(stats.answer_times_since(3'600'000)[0].answer_ms, 10'000);
  stats.forget_before(3'600'000);
  EXPECT_EQ(stats.since(0, 3'700'000).calls, 1u);
}

TEST(FloorView, TheAlertIsRaisedWhenTheHourFallsBelowNinetySevenAndAHalfPercent) {
  centre records;
  desk cases(records);
  // 39 answered in 10 s and 1 in 70 s: 97.5% exactly, no alert; one more late: alert.
  std::int64_t id = 0;
  auto call = [&](std::int64_t wait_ms) {
    alarm_event e;
    e.event_id = ++id;
    e.person_id = "p" + std::to_string(id);
    e.type = alarm_type::pendant;
    e.received_at_ms = 1000;
    cases.apply(e);
    records.operators["op"] = {"op", "Op", operator_role::operator_, {"en"}, ""};
    case_command accept{command_kind::accept, id, "", "", "", "", "", "", "", "", {}};
    cases.execute({id, 1000 + wait_ms, "op", accept, 0});
  };
  cases.set_presence("op", presence::ready);
  for (int i = 0; i < 39; ++i) call(10'000);
  call(70'000);
  auto view = floor_view(cases, records, 200'000, 0);
  EXPECT_DOUBLE_EQ(view.last_hour().share_60s(), 0.975);
  EXPECT_FALSE(view.below_target());
  call(70'000);
  view = floor_view(cases, records, 200'000, 0);
  EXPECT_TRUE(view.below_target());
  EXPECT_EQ(view.operators(0).cases(), 41u);
  EXPECT_EQ(view.operators(0).presence(), "ready");
  EXPECT_EQ(view.answer_times_size(), 41);
}

}  // namespace
}  // namespace lantern
