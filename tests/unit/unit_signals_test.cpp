// What alarm units sent that no record covers, kept for administrators, and the rate
// limit per source address: both bounded.
#include "core/unit_signals.hpp"
#include "listener/source_rates.hpp"

#include <gtest/gtest.h>

namespace lantern {
namespace {

TEST(UnitSignals, AnUnknownAccountIsCountedWithItsFirstAndLastSightingAndForgottenOnceAllocated) {
  unit_signals signals;
  signals.heard_unknown("BEEF", "192.0.2.7", "ADM-CID [#BEEF|1101 01 001]", 1000);
  signals.heard_unknown("F00D", "192.0.2.8", "SIA-DCS, encrypted", 1500);
  signals.heard_unknown("BEEF", "192.0.2.9", "NULL []", 2000);
  auto now = signals.unallocated_now();
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now[0].account, "BEEF") << "most recently seen first";
  EXPECT_EQ(now[0].count, 2u);
  EXPECT_EQ(now[0].first_seen_ms, 1000);
  EXPECT_EQ(now[0].last_seen_ms, 2000);
  EXPECT_EQ(now[0].last_source, "192.0.2.9");
  EXPECT_EQ(now[0].last_event, "NULL []");
  signals.forget("BEEF");
  ASSERT_EQ(signals.unallocated_now().size(), 1u);
  EXPECT_EQ(signals.unallocated_now()[0].account, "F00D");
}

TEST(UnitSignals, TheListIsBoundedAndTheLongestQuietMakesWay) {
  unit_signals signals(3);
  for (int i = 0; i < 5; ++i) signals.heard_unknown("A" + std::to_string(i), "192.0.2.1", "", i);
  auto now = signals.unallocated_now();
  ASSERT_EQ(now.size(), 3u);
  EXPECT_EQ(now[0].account, "A4");
  EXPECT_EQ(now[2].account, "A2");
  for (int i = 0; i < 5; ++i) signals.key_change_requested({"hub", "AB12", i, "sha256:00"});
  EXPECT_EQ(signals.key_requests().size(), 3u);
  EXPECT_EQ(signals.key_requests()[0].at_ms, 4) << "newest first";
}

TEST(SourceRates, EachAddressHasItsOwnBucketRefilledOverTime) {
  source_rates rates(10, 20);
  auto t = source_rates::clock::now();
  auto one = boost::asio::ip::make_address("192.0.2.1"), other = boost::asio::ip::make_address("192.0.2.2");
  int taken = 0;
  for (int i = 0; i < 100; ++i) taken += rates.take(one, t) ? 1 : 0;
  EXPECT_EQ(taken, 20) << "a burst, then nothing";
  EXPECT_TRUE(rates.take(other, t)) << "another address is not held back by the first";
  EXPECT_FALSE(rates.take(one, t + std::chrono::milliseconds(50)));
  EXPECT_TRUE(rates.take(one, t + std::chrono::milliseconds(150))) << "10 a second: one more after 100 ms";
}

TEST(SourceRates, AFloodOfAddressesIsBoundedAndQuietOnesAreForgotten) {
  source_rates rates(10, 20, 100);
  auto t = source_rates::clock::now();
  for (unsigned i = 0; i < 100; ++i) rates.take(boost::asio::ip::make_address_v4(0x0A000000 + i), t);
  EXPECT_FALSE(rates.take(boost::asio::ip::make_address("192.0.2.1"), t)) << "every bucket busy: a new source waits";
  EXPECT_TRUE(rates.take(boost::asio::ip::make_address("192.0.2.1"), t + std::chrono::seconds(5)))
      << "once the others are quiet (full again) they are forgotten";
  EXPECT_LE(rates.sources(), 100u);
}

}  // namespace
}  // namespace lantern
