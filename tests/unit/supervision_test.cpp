// Device supervision with a fake clock: the deadline wheel (due, rescheduled, removed, past
// and far-off deadlines, a long pause) and the rules on top of it (missed check-in once,
// return, low battery once until it recovers, a full deadline for everyone after a restart).
#include "supervision/deadline_wheel.hpp"
#include "supervision/device_supervision.hpp"

#include <gtest/gtest.h>

namespace lantern {
namespace {

constexpr std::int64_t t0 = 1'768'392'000'000;  // any moment; the wheel only needs it positive

std::vector<std::uint32_t> advance(deadline_wheel& wheel, std::int64_t now) {
  std::vector<std::uint32_t> out;
  wheel.advance(now, [&](std::uint32_t id) { out.push_back(id); });
  return out;
}

TEST(DeadlineWheel, ADeadlineFiresWhenDueAndNotBefore) {
  deadline_wheel wheel(4, t0);
  wheel.schedule(1, t0 + 5'500);
  EXPECT_TRUE(advance(wheel, t0 + 5'499).empty());
  EXPECT_EQ(advance(wheel, t0 + 5'500), (std::vector<std::uint32_t>{1}));
  EXPECT_FALSE(wheel.scheduled(1));
  EXPECT_TRUE(advance(wheel, t0 + 60'000).empty());  // once
}

TEST(DeadlineWheel, ReschedulingMovesTheDeadlineAndRemovingCancelsIt) {
  deadline_wheel wheel(4, t0);
  wheel.schedule(0, t0 + 10'000);
  wheel.schedule(2, t0 + 10'000);
  wheel.schedule(0, t0 + 20'000);  // a heartbeat came in
  wheel.remove(2);
  EXPECT_TRUE(advance(wheel, t0 + 15'000).empty());
  EXPECT_EQ(advance(wheel, t0 + 20'000), (std::vector<std::uint32_t>{0}));
  EXPECT_EQ(wheel.size(), 0u);
}

TEST(DeadlineWheel, ADeadlineAlreadyPastFiresAtTheNextAdvance) {
  deadline_wheel wheel(2, t0);
  wheel.schedule(1, t0 - 30'000);
  EXPECT_EQ(advance(wheel, t0 + 1), (std::vector<std::uint32_t>{1}));
}

TEST(DeadlineWheel, DeadlinesBeyondOneTurnWaitForTheirTurnAndALongPauseMissesNothing) {
  deadline_wheel wheel(3, t0, 1000, 8);  // one turn is 8 s
  wheel.schedule(0, t0 + 3'000);
  wheel.schedule(1, t0 + 19'000);  // two turns and a bit
  wheel.schedule(2, t0 + 11'000);
  EXPECT_EQ(advance(wheel, t0 + 3'000), (std::vector<std::uint32_t>{0}));
  EXPECT_TRUE(advance(wheel, t0 + 10'999).empty());
  // A pause of several turns: everything due comes out, oldest first, nothing early.
  EXPECT_EQ(advance(wheel, t0 + 40'000), (std::vector<std::uint32_t>{2, 1}));
}

TEST(DeadlineWheel, ThousandsOfDevicesEachFireOnceAtTheirOwnTime) {
  constexpr std::uint32_t n = 20'000;
  deadline_wheel wheel(n, t0);
  for (std::uint32_t i = 0; i < n; ++i) wheel.schedule(i, t0 + 1'000 + (i % 900) * 1'000);
  std::vector<int> fired(n, 0);
  for (std::int64_t now = t0; now <= t0 + 1'000'000; now += 1'000)
    wheel.advance(now, [&](std::uint32_t id) {
      EXPECT_GE(now, t0 + 1'000 + (id % 900) * 1'000);
      EXPECT_LT(now, t0 + 2'000 + (id % 900) * 1'000);
      ++fired[id];
    });
  for (auto count : fired) ASSERT_EQ(count, 1);
}

centre two_devices() {
  centre records;
  records.add_device(device_record{"pendant", "ann", "pendant", "", 60});
  records.add_device(device_record{"smoke", "ann", "smoke_detector", "", 900});
  return records;
}

class Supervision : public ::testing::Test {
 protected:
  std::vector<supervision_event> heard(const std::string& id, std::int64_t at, int battery = -1) {
    std::vector<supervision_event> out;
    rules.heard(id, at, battery, out);
    return out;
  }
  std::vector<supervision_event> expire(std::int64_t at) {
    std::vector<supervision_event> out;
    rules.expire(at, out);
    return out;
  }
  centre records = two_devices();
  device_supervision rules{records, supervision_settings{}};
};

TEST_F(Supervision, SilencePastThreeIntervalsIsOneMissedCheckInAndTheReturnClosesIt) {
  rules.start(t0);
  heard("pendant", t0 + 10'000);
  EXPECT_TRUE(expire(t0 + 10'000 + 180'000 - 1'000).empty());
  auto missed = expire(t0 + 10'000 + 180'000);
  ASSERT_EQ(missed.size(), 1u);
  EXPECT_EQ(missed[0].what, supervision_event::kind::missed_checkin);
  EXPECT_EQ(missed[0].device->id, "pendant");
  EXPECT_EQ(missed[0].last_seen_ms, t0 + 10'000);
  EXPECT_TRUE(expire(t0 + 2'000'000).empty()) << "reported once, not every tick";

  auto back = heard("pendant", t0 + 2'100'000);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].what, supervision_event::kind::returned);
  EXPECT_FALSE(rules.missed("pendant"));
  EXPECT_EQ(rules.deadline_of("pendant"), t0 + 2'100'000 + 180'000);  // watched again
}

TEST_F(Supervision, AfterARestartEveryDeviceGetsAFullDeadlineFromNow) {
  rules.start(t0);
  EXPECT_EQ(rules.deadline_of("pendant"), t0 + 180'000);
  EXPECT_EQ(rules.deadline_of("smoke"), t0 + 2'700'000);
  EXPECT_TRUE(expire(t0 + 179'000).empty());
  auto missed = expire(t0 + 180'000);
  ASSERT_EQ(missed.size(), 1u);
  EXPECT_EQ(missed[0].last_seen_ms, 0) << "not heard from since the start";
}

TEST_F(Supervision, ALowBatteryIsReportedOnceUntilItRecovers) {
  rules.start(t0);
  EXPECT_TRUE(heard("smoke", t0 + 1, 40).empty());
  auto low = heard("smoke", t0 + 2, 18);
  ASSERT_EQ(low.size(), 1u);
  EXPECT_EQ(low[0].what, supervision_event::kind::low_battery);
  EXPECT_EQ(low[0].battery_pct, 18);
  EXPECT_TRUE(heard("smoke", t0 + 3, 17).empty());
  EXPECT_TRUE(heard("smoke", t0 + 4, 25).empty()) << "not recovered until over 30%";
  EXPECT_TRUE(heard("smoke", t0 + 5, 15).empty());
  EXPECT_TRUE(heard("smoke", t0 + 6, 95).empty());  // a new battery
  EXPECT_EQ(heard("smoke", t0 + 7, 12).size(), 1u);
}

TEST_F(Supervision, HealthTellsLastContactBatteryAndAMissedCheckIn) {
  rules.start(t0, {{"pendant", t0 - 3'600'000}, {"not-ours", t0 - 1}});
  auto before = rules.health_of("pendant");
  EXPECT_TRUE(before.supervised);
  EXPECT_EQ(before.last_heard_ms, t0 - 3'600'000) << "the saved contact, until it is heard again";
  EXPECT_EQ(before.battery_at_ms, 0) << "no battery reported in this run";
  EXPECT_EQ(before.due_by_ms, t0 + 180'000) << "the saved contact never shortens the first allowance";
  heard("pendant", t0 + 5'000, 12);
  auto now = rules.health_of("pendant");
  EXPECT_EQ(now.last_heard_ms, t0 + 5'000);
  EXPECT_EQ(now.battery_pct, 12);
  EXPECT_EQ(now.battery_at_ms, t0 + 5'000);
  EXPECT_TRUE(now.battery_low);
  heard("pendant", t0 + 6'000);  // an alarm: no battery level, the last one stands
  EXPECT_EQ(rules.health_of("pendant").battery_pct, 12);
  expire(t0 + 6'000 + 180'000);
  EXPECT_TRUE(rules.health_of("pendant").missed_checkin);
  EXPECT_FALSE(rules.health_of("no-such-device").supervised);
  rules.device_changed("pendant", nullptr, t0 + 200'000);
  EXPECT_FALSE(rules.health_of("pendant").supervised) << "deactivated";
}

TEST_F(Supervision, ASavedContactGivesAMissedCheckInItsRealSilence) {
  rules.start(t0, {{"pendant", t0 - 60'000}});
  auto missed = expire(t0 + 180'000);
  ASSERT_EQ(missed.size(), 1u);
  EXPECT_EQ(missed[0].last_seen_ms, t0 - 60'000);
}

TEST_F(Supervision, AnAlarmThatCouldNotBeStoredIsRaisedAgain) {
  rules.start(t0);
  auto missed = expire(t0 + 180'000);
  ASSERT_EQ(missed.size(), 1u);
  rules.not_stored(missed[0], t0 + 181'000);
  EXPECT_EQ(expire(t0 + 182'000).size(), 1u);
}

TEST_F(Supervision, LastSeenTimesAreTakenInBatchesOncePerDevice) {
  rules.start(t0);
  heard("pendant", t0 + 1);
  heard("pendant", t0 + 2);
  heard("smoke", t0 + 3);
  auto batch = rules.take_heard();
  std::sort(batch.begin(), batch.end());
  EXPECT_EQ(batch, (std::vector<std::pair<std::string, std::int64_t>>{{"pendant", t0 + 2}, {"smoke", t0 + 3}}));
  EXPECT_TRUE(rules.take_heard().empty());
  heard("unknown-device", t0 + 4);  // not ours: ignored
  EXPECT_TRUE(rules.take_heard().empty());
}

}  // namespace
}  // namespace lantern
