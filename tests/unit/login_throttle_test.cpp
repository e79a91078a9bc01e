// Password guessing slowed per address and per username, with a fake clock.
#include "web/login_throttle.hpp"

#include <gtest/gtest.h>

namespace lantern {
namespace {

TEST(LoginThrottle, AnAddressPastItsFailuresWaitsUntilTheOldestLeavesTheWindow) {
  login_throttle throttle({.per_source = 3, .per_username = 100, .window_ms = 60'000});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(throttle.wait_s("10.0.0.9", "amira", 1000 + i * 1000), 0);
    throttle.failed("10.0.0.9", "amira", 1000 + i * 1000);
  }
  EXPECT_EQ(throttle.wait_s("10.0.0.9", "olu", 4000), 57) << "any name, from that address";
  EXPECT_EQ(throttle.wait_s("10.0.0.8", "amira", 4000), 0) << "another address is not held up";
  EXPECT_EQ(throttle.wait_s("10.0.0.9", "olu", 61'000), 0);
}

TEST(LoginThrottle, AUsernamePastItsFailuresWaitsFromAnyAddressUntilASuccess) {
  login_throttle throttle({.per_source = 100, .per_username = 2, .window_ms = 60'000});
  throttle.failed("10.0.0.1", "gwen", 0);
  throttle.failed("10.0.0.2", "gwen", 0);
  EXPECT_GT(throttle.wait_s("10.0.0.3", "gwen", 10), 0);
  EXPECT_EQ(throttle.wait_s("10.0.0.3", "olu", 10), 0);
  throttle.succeeded("gwen");
  EXPECT_EQ(throttle.wait_s("10.0.0.3", "gwen", 10), 0);
}

TEST(LoginThrottle, OldAddressesAreForgotten) {
  login_throttle throttle({.per_source = 1, .per_username = 1, .window_ms = 1000});
  for (int i = 0; i < 1000; ++i) throttle.failed("10.1." + std::to_string(i), "x" + std::to_string(i), 0);
  EXPECT_GT(throttle.wait_s("10.1.5", "x5", 500), 0);
  EXPECT_EQ(throttle.wait_s("10.1.5", "x5", 5000), 0);
}

}  // namespace
}  // namespace lantern
