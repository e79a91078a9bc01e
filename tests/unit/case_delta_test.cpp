// What an update of an open case leaves out because every console already has it.
#include "web/case_delta.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace lantern {
namespace {

namespace v1 = lantern::console::v1;

v1::Case queued_fall() {
  v1::Case c;
  c.set_case_id("1042");
  c.set_alarm_type("fall");
  c.set_priority("critical");
  c.set_state("queued");
  c.set_opened_at_ms(1'796'280'518'613);
  c.set_last_alarm_at_ms(1'796'280'518'613);
  c.set_alarm_count(1);
  c.set_device_id("dev-100231");
  c.set_language("cy");
  for (auto [label, at] : {std::pair{"offered to all operators", 20'000}, {"60 s answer target", 60'000}}) {
    auto* d = c.add_deadlines();
    d->set_label(label);
    d->set_at_ms(1'796'280'518'613 + at);
  }
  auto* entry = c.add_timeline();
  entry->set_kind("alarm");
  return c;
}

bool clears(const v1::Case& c, const std::string& field) {
  return std::find(c.cleared().begin(), c.cleared().end(), field) != c.cleared().end();
}

TEST(CaseDelta, TheFirstUpdateOfACaseIsWhole) {
  case_delta sent;
  auto update = queued_fall();
  sent.trim(update, 1042, 1);
  EXPECT_EQ(update.SerializeAsString(), queued_fall().SerializeAsString());
  EXPECT_FALSE(update.partial());
}

TEST(CaseDelta, ARepeatCarriesOnlyTheCountTheTimeAndTheTimeline) {
  case_delta sent;
  auto opened = queued_fall();
  sent.trim(opened, 1042, 1);
  auto repeat = queued_fall();
  repeat.set_alarm_count(2);
  repeat.set_last_alarm_at_ms(1'796'280'520'000);
  auto whole_bytes = repeat.ByteSizeLong();
  sent.trim(repeat, 1042, 2);

  EXPECT_TRUE(repeat.partial());
  v1::Case expected;
  expected.set_case_id("1042");
  expected.set_alarm_count(2);
  expected.set_last_alarm_at_ms(1'796'280'520'000);
  *expected.add_timeline() = queued_fall().timeline(0);  // the caller's, sent from a position
  expected.set_partial(true);
  EXPECT_EQ(repeat.DebugString(), expected.DebugString());
  EXPECT_LT(repeat.ByteSizeLong() * 3, whole_bytes);
}

TEST(CaseDelta, AFieldBackAtItsDefaultIsNamedAsCleared) {
  case_delta sent;
  auto accepted = queued_fall();
  accepted.set_owner("amira");
  accepted.set_state("accepted");
  sent.trim(accepted, 1042, 1);
  auto released = queued_fall();  // back in the queue: no owner
  sent.trim(released, 1042, 1);
  EXPECT_TRUE(released.owner().empty());
  EXPECT_TRUE(clears(released, "owner")) << "a console keeping its owner would show amira still";
  EXPECT_EQ(released.state(), "queued");
  EXPECT_EQ(released.cleared_size(), 1) << "only what went back to its default";

  auto taken_again = queued_fall();
  taken_again.set_owner("amira");
  sent.trim(taken_again, 1042, 1);
  EXPECT_EQ(taken_again.owner(), "amira") << "compared with what was sent last, not with the first";
  EXPECT_EQ(taken_again.cleared_size(), 0);
}

TEST(CaseDelta, ListsAndMessagesAreSentWholeWhenAnyPartChanges) {
  case_delta sent;
  auto before = queued_fall();
  before.mutable_escalation()->set_status("calling");
  sent.trim(before, 1042, 1);
  auto after = queued_fall();
  after.mutable_escalation()->set_status("responder_going");
  after.mutable_deadlines(1)->set_at_ms(1);
  sent.trim(after, 1042, 1);
  EXPECT_EQ(after.escalation().status(), "responder_going");
  ASSERT_EQ(after.deadlines_size(), 2);
  EXPECT_EQ(after.deadlines(0).label(), "offered to all operators");

  auto dropped = queued_fall();
  dropped.clear_deadlines();  // resolved: no deadlines; and the escalation gone
  sent.trim(dropped, 1042, 1);
  EXPECT_TRUE(clears(dropped, "deadlines"));
  EXPECT_TRUE(clears(dropped, "escalation"));
  EXPECT_FALSE(dropped.has_escalation());
}

TEST(CaseDelta, TheTimelineStartsFromTheLastEntrySentAndAForgottenCaseIsSentWhole) {
  case_delta sent;
  EXPECT_EQ(sent.timeline_from(1042), 0u);
  auto first = queued_fall();
  sent.trim(first, 1042, 1);
  EXPECT_EQ(sent.timeline_from(1042), 0u) << "one entry: the whole timeline";
  auto second = queued_fall();
  sent.trim(second, 1042, 4);
  EXPECT_EQ(sent.timeline_from(1042), 3u) << "the last entry sent may change (\"3 repeats\")";
  EXPECT_EQ(sent.timeline_from(7), 0u) << "cases are apart";

  sent.forget(1042);
  EXPECT_EQ(sent.timeline_from(1042), 0u);
  auto after_forget = queued_fall();
  sent.trim(after_forget, 1042, 1);
  EXPECT_FALSE(after_forget.partial());
  EXPECT_EQ(after_forget.deadlines_size(), 2);
}

}  // namespace
}  // namespace lantern
