#pragma once
// Finding a person from the console ("/"): by part of their name or address, by a phone
// number however it is written (+44 113 496 0012, 01134960012), or by a device id. Pure:
// the caller holds the records (on the core's strand).

#include "centre/centre.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace lantern {

struct person_match {
  const person* who = nullptr;
  std::vector<std::string> device_ids;  // the person's devices
  std::string matched_on;               // name, phone, address or device
};

struct people_found {
  std::vector<person_match> matches;  // best first: a name that starts with the search, then by name
  std::size_t more = 0;               // matched but not listed
};

constexpr std::size_t min_search_length = 2;
constexpr std::size_t max_search_length = 100;

// Nothing for a search shorter than min_search_length (after trimming).
people_found find_people(const centre& records, std::string_view search, std::size_t limit = 20);

}  // namespace lantern
