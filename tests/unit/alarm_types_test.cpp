#include "centre/alarm_types.hpp"

#include <gtest/gtest.h>

namespace lantern {

TEST(AlarmTypes, DefaultPrioritiesFollowTheDomainTable) {
  EXPECT_EQ(default_priority(alarm_type::smoke), priority::critical);
  EXPECT_EQ(default_priority(alarm_type::fall), priority::critical);
  EXPECT_EQ(default_priority(alarm_type::epilepsy), priority::critical);
  EXPECT_EQ(default_priority(alarm_type::pendant), priority::high);
  EXPECT_EQ(default_priority(alarm_type::no_activity), priority::high);
  EXPECT_EQ(default_priority(alarm_type::temperature), priority::normal);
  EXPECT_EQ(default_priority(alarm_type::low_battery), priority::low);
}

TEST(AlarmTypes, EveryTypeRoundTripsThroughItsWireId) {
  for (auto type : all_alarm_types()) EXPECT_EQ(parse_alarm_type(to_string(type)), type);
  EXPECT_FALSE(parse_alarm_type("smok"));
  EXPECT_FALSE(parse_alarm_type(""));
}

TEST(AlarmTypes, LifeSafetyTypesAreNeverLoweredBelowHigh) {
  EXPECT_EQ(effective_priority(alarm_type::fall, priority::low), priority::high);
  EXPECT_EQ(effective_priority(alarm_type::smoke, priority::normal), priority::high);
  EXPECT_EQ(effective_priority(alarm_type::pendant, priority::low), priority::low);
  EXPECT_EQ(effective_priority(alarm_type::temperature, priority::critical), priority::critical);
  EXPECT_EQ(effective_priority(alarm_type::fall, std::nullopt), priority::critical);
}

TEST(AlarmTypes, CancelAndTestNeverOpenACase) {
  EXPECT_FALSE(opens_case(alarm_type::cancel));
  EXPECT_FALSE(opens_case(alarm_type::test));
  EXPECT_TRUE(opens_case(alarm_type::pendant));
}

TEST(AlarmTypes, DevicesCannotRaiseMissedCheckin) {
  EXPECT_FALSE(device_may_send(alarm_type::missed_checkin));
  EXPECT_TRUE(device_may_send(alarm_type::fall));
}

}  // namespace lantern
