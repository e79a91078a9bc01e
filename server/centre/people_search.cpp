#include "centre/people_search.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace lantern {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string digits_of(std::string_view text) {
  std::string out;
  for (char c : text)
    if (std::isdigit(static_cast<unsigned char>(c))) out += c;
  return out;
}

// "+441134960012" also as "01134960012": numbers are stored international, people dial national.
bool phone_matches(const std::string& stored, const std::string& wanted_digits) {
  if (wanted_digits.size() < 4 || stored.empty()) return false;
  auto digits = digits_of(stored);
  if (digits.find(wanted_digits) != std::string::npos) return true;
  return digits.starts_with("44") && ("0" + digits.substr(2)).find(wanted_digits) != std::string::npos;
}

}  // namespace

people_found find_people(const centre& records, std::string_view search, std::size_t limit) {
  auto first = search.find_first_not_of(" \t");
  auto last = search.find_last_not_of(" \t");
  people_found out;
  if (first == std::string_view::npos) return out;
  auto wanted = lower(search.substr(first, last - first + 1));
  if (wanted.size() < min_search_length) return out;
  auto wanted_digits = digits_of(wanted);
  bool looks_like_phone = wanted_digits.size() >= 4 && wanted_digits.size() * 2 >= wanted.size();

  std::map<std::string, std::vector<std::string>> devices_of;  // person id -> device ids
  for (const auto& [id, device] : records.devices) devices_of[device->person_id].push_back(id);

  std::vector<std::pair<int, person_match>> found;  // rank (lower first), match
  for (const auto& [id, p] : records.persons) {
    auto& devices = devices_of[id];
    std::sort(devices.begin(), devices.end());
    auto name = lower(p.name);
    std::string on;
    int rank = 3;
    if (auto at = name.find(wanted); at != std::string::npos) {
      on = "name";
      rank = at == 0 || name[at - 1] == ' ' ? 0 : 1;  // the start of a name or a word in it first
    } else if (looks_like_phone && phone_matches(p.phone, wanted_digits)) {
      on = "phone";
      rank = 0;
    } else if (std::any_of(devices.begin(), devices.end(), [&](const auto& d) { return lower(d) == wanted; })) {
      on = "device";
      rank = 0;
    } else if (std::any_of(devices.begin(), devices.end(),
                           [&](const auto& d) { return lower(d).find(wanted) != std::string::npos; })) {
      on = "device";
      rank = 1;
    } else if (lower(p.address).find(wanted) != std::string::npos) {
      on = "address";
      rank = 2;
    } else {
      continue;
    }
    found.push_back({rank, person_match{&p, devices, on}});
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, a.second.who->name, a.second.who->id) <
           std::tie(b.first, b.second.who->name, b.second.who->id);
  });
  for (auto& [_, match] : found) {
    if (out.matches.size() < limit)
      out.matches.push_back(std::move(match));
    else
      ++out.more;
  }
  return out;
}

}  // namespace lantern
