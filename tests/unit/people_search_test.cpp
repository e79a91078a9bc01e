// Finding a person from the console: by name, phone however written, device or address;
// nothing for a search too short, and a bounded list.
#include "centre/people_search.hpp"

#include <gtest/gtest.h>

namespace lantern {
namespace {

centre three_people() {
  centre c;
  auto add = [&](std::string id, std::string name, std::string address, std::string phone) {
    person p;
    p.id = id;
    p.name = std::move(name);
    p.address = std::move(address);
    p.phone = std::move(phone);
    p.access = "key safe 1234";
    c.persons[id] = p;
  };
  add("margaret", "Margaret Ellis", "12 Rowan Court, Leeds LS6 2AB", "+441134960012");
  add("arthur", "Arthur Bennett", "4 Ellis Street, Leeds", "+441134960034");
  add("ellis", "Ellis Morgan", "1 Oak Road, Swansea", "+447700900123");
  c.add_device(device_record{"dev-100231", "margaret", "pendant", "", 900});
  return c;
}

std::vector<std::string> ids(const people_found& found) {
  std::vector<std::string> out;
  for (const auto& m : found.matches) out.push_back(m.who->id + ":" + m.matched_on);
  return out;
}

TEST(PeopleSearch, ANameThatStartsWithTheSearchComesFirstThenAWordInsideThenAnAddress) {
  auto c = three_people();
  EXPECT_EQ(ids(find_people(c, "ellis")), (std::vector<std::string>{"ellis:name", "margaret:name", "arthur:address"}));
  EXPECT_EQ(ids(find_people(c, "  MARG ")), (std::vector<std::string>{"margaret:name"}));
}

TEST(PeopleSearch, APhoneNumberMatchesHoweverItIsWritten) {
  auto c = three_people();
  EXPECT_EQ(ids(find_people(c, "0113 496 0012")), (std::vector<std::string>{"margaret:phone"}));
  EXPECT_EQ(ids(find_people(c, "+44 113 496 0012")), (std::vector<std::string>{"margaret:phone"}));
  EXPECT_EQ(ids(find_people(c, "07700 900123")), (std::vector<std::string>{"ellis:phone"}));
}

TEST(PeopleSearch, ADeviceIdFindsItsPerson) {
  auto c = three_people();
  auto found = find_people(c, "DEV-100231");
  ASSERT_EQ(ids(found), (std::vector<std::string>{"margaret:device"}));
  EXPECT_EQ(found.matches[0].device_ids, std::vector<std::string>{"dev-100231"});
}

TEST(PeopleSearch, TooShortFindsNothingAndTheListIsBounded) {
  auto c = three_people();
  EXPECT_TRUE(find_people(c, "e").matches.empty());
  EXPECT_TRUE(find_people(c, "   ").matches.empty());
  EXPECT_TRUE(find_people(c, "zzz").matches.empty());
  auto found = find_people(c, "leeds", 1);
  EXPECT_EQ(found.matches.size(), 1u);
  EXPECT_EQ(found.more, 1u);
  // An access code is not searched: a search never finds people by what is secret.
  EXPECT_TRUE(find_people(c, "1234").matches.empty());
}

}  // namespace
}  // namespace lantern
