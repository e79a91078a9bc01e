// Desk rules, one test per rule. Time arrives with each alarm: no clock, no sleeps.
#include "desk/desk.hpp"

#include <gtest/gtest.h>

namespace lantern {
namespace {

centre test_centre() {
  centre c;
  person ann;
  ann.id = "ann";
  ann.name = "Ann";
  ann.plan.rules.push_back({alarm_type::pendant, priority::critical, "Ann: call her daughter first", std::nullopt});
  ann.plan.rules.push_back({alarm_type::fall, priority::low, "lowered in error", std::nullopt});
  c.persons["ann"] = ann;
  person bob;
  bob.id = "bob";
  bob.name = "Bob";
  c.persons["bob"] = bob;
  return c;
}

class DeskTest : public ::testing::Test {
 protected:
  alarm_event alarm(const std::string& person, alarm_type type, std::int64_t at_ms) {
    alarm_event e;
    e.event_id = ++last_event_id;
    e.device_id = "dev-" + person;
    e.device_seq = static_cast<std::uint64_t>(last_event_id);
    e.person_id = person;
    e.type = type;
    e.received_at_ms = at_ms;
    return e;
  }

  centre records = test_centre();
  desk floor{records};
  std::int64_t last_event_id = 0;
};

TEST_F(DeskTest, AnAlarmOpensAQueuedCase) {
  auto c = floor.apply(alarm("bob", alarm_type::pendant, 1000));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->state, case_state::queued);
  EXPECT_EQ(c->level, priority::high);
  EXPECT_EQ(c->opened_at_ms, 1000);
  EXPECT_EQ(c->alarm_count, 1u);
  EXPECT_EQ(floor.queue().size(), 1u);
}

TEST_F(DeskTest, ARepeatOfTheSameTypeJoinsTheOpenCase) {
  auto first = floor.apply(alarm("bob", alarm_type::pendant, 1000));
  auto repeat = floor.apply(alarm("bob", alarm_type::pendant, 5000));
  ASSERT_TRUE(first && repeat);
  EXPECT_EQ(repeat->case_id, first->case_id);
  EXPECT_EQ(repeat->alarm_count, 2u);
  EXPECT_EQ(repeat->opened_at_ms, 1000);
  EXPECT_EQ(repeat->last_alarm_at_ms, 5000);
  EXPECT_EQ(floor.queue().size(), 1u);
}

TEST_F(DeskTest, AnAlarmUnderAReusedSeqOpensACaseMarkedForTheOperator) {
  auto fall = alarm("bob", alarm_type::fall, 1000);
  fall.device_seq = 9;
  fall.seq_reused = true;
  auto c = floor.apply(fall);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->state, case_state::queued);
  ASSERT_EQ(c->timeline.size(), 2u);
  EXPECT_EQ(c->timeline[0].kind, "alarm");
  EXPECT_EQ(c->timeline[1].kind, "seq_reused");
  EXPECT_NE(c->timeline[1].text.find("seq 9"), std::string::npos) << c->timeline[1].text;
}

TEST_F(DeskTest, ADifferentTypeOpensItsOwnCase) {
  auto pendant = floor.apply(alarm("bob", alarm_type::pendant, 1000));
  auto smoke = floor.apply(alarm("bob", alarm_type::smoke, 1100));
  EXPECT_NE(pendant->case_id, smoke->case_id);
  EXPECT_EQ(floor.queue().size(), 2u);
}

TEST_F(DeskTest, TheSameTypeFromAnotherPersonOpensItsOwnCase) {
  auto bob = floor.apply(alarm("bob", alarm_type::pendant, 1000));
  auto ann = floor.apply(alarm("ann", alarm_type::pendant, 1000));
  EXPECT_NE(bob->case_id, ann->case_id);
}

TEST_F(DeskTest, ThePlanRuleSetsThePriority) {
  EXPECT_EQ(floor.apply(alarm("ann", alarm_type::pendant, 1000))->level, priority::critical);
  EXPECT_EQ(floor.apply(alarm("bob", alarm_type::pendant, 1000))->level, priority::high);
}

TEST_F(DeskTest, APlanRuleCannotLowerAFallBelowHigh) {
  EXPECT_EQ(floor.apply(alarm("ann", alarm_type::fall, 1000))->level, priority::high);
}

TEST_F(DeskTest, TheQueueIsOrderedByPriorityThenAge) {
  floor.apply(alarm("bob", alarm_type::temperature, 1000));  // normal, oldest
  floor.apply(alarm("bob", alarm_type::pendant, 2000));      // high
  floor.apply(alarm("ann", alarm_type::smoke, 3000));        // critical, newest
  floor.apply(alarm("bob", alarm_type::fall, 2500));         // critical, older than the smoke
  auto queue = floor.queue();
  ASSERT_EQ(queue.size(), 4u);
  EXPECT_EQ(queue[0]->type, alarm_type::fall);
  EXPECT_EQ(queue[1]->type, alarm_type::smoke);
  EXPECT_EQ(queue[2]->type, alarm_type::pendant);
  EXPECT_EQ(queue[3]->type, alarm_type::temperature);
}

TEST_F(DeskTest, ACancelMarksThePersonsNewestOpenCase) {
  floor.apply(alarm("bob", alarm_type::door, 1000));
  auto pendant = floor.apply(alarm("bob", alarm_type::pendant, 2000));
  auto cancelled = floor.apply(alarm("bob", alarm_type::cancel, 3000));
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->case_id, pendant->case_id);
  EXPECT_TRUE(cancelled->cancelled_at_unit);
  EXPECT_EQ(cancelled->state, case_state::queued) << "an operator still resolves a cancelled case";
}

TEST_F(DeskTest, ACancelWithNoOpenCaseOpensNothing) {
  EXPECT_FALSE(floor.apply(alarm("bob", alarm_type::cancel, 1000)));
  EXPECT_TRUE(floor.queue().empty());
}

TEST_F(DeskTest, AUnitsRestoreGoesOnTheTimelineOfTheCaseItsAlarmOpenedAndOpensNothing) {
  auto smoke = floor.apply(alarm("bob", alarm_type::smoke, 1000));
  auto other = alarm("bob", alarm_type::pendant, 1500);
  other.device_id = "pendant-bob";
  floor.apply(other);  // the newest case, but from another device
  auto cleared = alarm("bob", alarm_type::restore, 2000);
  cleared.detail = "Contact ID 111: Smoke restore, zone 004";
  auto restored = floor.apply(cleared);
  ASSERT_TRUE(restored);
  EXPECT_EQ(restored->case_id, smoke->case_id) << "the case of the unit that sent it";
  EXPECT_EQ(restored->timeline.back().kind, "restored_at_unit");
  EXPECT_EQ(restored->timeline.back().text, "Contact ID 111: Smoke restore, zone 004");
  EXPECT_FALSE(restored->cancelled_at_unit) << "cleared is not called off: an operator still checks";
  EXPECT_EQ(floor.queue().size(), 2u);
  EXPECT_FALSE(floor.apply(alarm("ann", alarm_type::restore, 3000))) << "nothing open: stored, nothing opened";
}

TEST_F(DeskTest, ATestAlarmOpensNothing) {
  EXPECT_FALSE(floor.apply(alarm("bob", alarm_type::test, 1000)));
  EXPECT_TRUE(floor.queue().empty());
}

TEST_F(DeskTest, OpenCasesAreCountedByPriority) {
  floor.apply(alarm("bob", alarm_type::smoke, 1000));
  floor.apply(alarm("bob", alarm_type::pendant, 1000));
  floor.apply(alarm("bob", alarm_type::pendant, 1000));
  EXPECT_EQ(floor.open_count(priority::critical), 1u);
  EXPECT_EQ(floor.open_count(priority::high), 1u);
  EXPECT_EQ(floor.open_count(priority::low), 0u);
}

TEST_F(DeskTest, RestoredCasesKeepTheirIdsAndNewCasesContinueAfterThem) {
  case_record saved;
  saved.case_id = 41;
  saved.person_id = "bob";
  saved.type = alarm_type::pendant;
  saved.level = priority::high;
  desk_restore_point point;
  point.cases = {saved};
  point.next_case_id = 42;
  floor.restore(point);
  auto repeat = floor.apply(alarm("bob", alarm_type::pendant, 1000));
  EXPECT_EQ(repeat->case_id, 41);
  EXPECT_EQ(repeat->alarm_count, 2u);
  EXPECT_EQ(floor.apply(alarm("bob", alarm_type::smoke, 1000))->case_id, 42);
  EXPECT_EQ(floor.open_count(priority::high), 1u);
}

}  // namespace
}  // namespace lantern
