// Connections before their first word: at a cap the oldest makes way, per source and in all.
#include "listener/waiting_room.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace lantern {
namespace {

const auto attacker = net::ip::make_address("127.0.0.2");
const auto device = net::ip::make_address("127.0.0.1");
const auto ipv6 = net::ip::make_address("::1");

TEST(WaitingRoom, AtTheSourceCapTheOldestFromThatSourceIsDropped) {
  waiting_room room({.total = 100, .per_source = 3});
  std::vector<std::uint64_t> dropped;
  auto seat = [&](std::uint64_t id, const net::ip::address& from) {
    return room.enter(id, from, [&dropped, id] { dropped.push_back(id); });
  };
  EXPECT_EQ(seat(1, device), waiting_room::made_way::nobody);
  for (std::uint64_t id = 2; id <= 4; ++id) EXPECT_EQ(seat(id, attacker), waiting_room::made_way::nobody);
  EXPECT_EQ(seat(5, attacker), waiting_room::made_way::same_source);
  EXPECT_EQ(seat(6, attacker), waiting_room::made_way::same_source);
  EXPECT_EQ(dropped, (std::vector<std::uint64_t>{2, 3})) << "the attacker's oldest, never the other device";
  EXPECT_EQ(room.waiting_from(attacker), 3u);
  EXPECT_EQ(room.waiting_from(device), 1u);
  EXPECT_EQ(seat(7, ipv6), waiting_room::made_way::nobody);
  EXPECT_EQ(room.waiting(), 5u);
}

TEST(WaitingRoom, AtTheTotalCapTheOldestOfAllIsDropped) {
  waiting_room room({.total = 2, .per_source = 10});
  std::vector<std::uint64_t> dropped;
  for (std::uint64_t id = 1; id <= 4; ++id)
    room.enter(id, id % 2 ? device : attacker, [&dropped, id] { dropped.push_back(id); });
  EXPECT_EQ(dropped, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(room.waiting(), 2u);
  EXPECT_TRUE(room.crowded());
}

TEST(WaitingRoom, ThoseWhoSpeakOrLeaveFreeTheirSeatAndAreNeverDropped) {
  waiting_room room({.total = 2, .per_source = 2});
  bool first_dropped = false;
  room.enter(1, device, [&] { first_dropped = true; });
  room.enter(2, device, [] {});
  room.leave(1);  // said hello
  room.leave(1);  // and later ended: no harm
  room.enter(3, device, [] {});
  EXPECT_FALSE(first_dropped);
  EXPECT_EQ(room.waiting_from(device), 2u);
  room.enter(3, device, [] {});  // seated again: still one seat
  EXPECT_EQ(room.waiting_from(device), 2u);
  room.leave(2);
  room.leave(3);
  EXPECT_EQ(room.waiting(), 0u);
  EXPECT_EQ(room.waiting_from(device), 0u);
  EXPECT_FALSE(room.crowded());
}

}  // namespace
}  // namespace lantern
