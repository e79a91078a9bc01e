#include "dc09/events.hpp"

#include <cctype>

namespace lantern::dc09 {
namespace {

bool upper(char ch) { return ch >= 'A' && ch <= 'Z'; }
bool lower(char ch) { return ch >= 'a' && ch <= 'z'; }
bool digit(char ch) { return ch >= '0' && ch <= '9'; }
bool hex(char ch) { return digit(ch) || (ch >= 'A' && ch <= 'F') || (ch >= 'a' && ch <= 'f'); }

// What follows the account: "#1234|X" and "1234|X" give "X"; data with no '|' is all events.
std::string_view after_account(std::string_view data) {
  auto bar = data.find('|');
  return bar == std::string_view::npos ? data : data.substr(bar + 1);
}

// "1101 01 003": qualifier, event code, group, zone (spaces optional).
std::variant<std::vector<unit_event>, std::string> contact_id(std::string_view text) {
  std::string packed;
  for (char ch : text)
    if (ch != ' ') packed += ch;
  if (packed.size() != 9) return "Contact ID must be QEEE GG CCC, not '" + std::string(text.substr(0, 40)) + "'";
  for (char ch : packed)
    if (!hex(ch)) return "Contact ID must be QEEE GG CCC, not '" + std::string(text.substr(0, 40)) + "'";
  unit_event e;
  e.scheme = code_scheme::contact_id;
  switch (packed[0]) {
    case '1':
      e.kind = qualifier::new_event;
      break;
    case '3':
      e.kind = qualifier::restore;
      break;
    case '6':
      e.kind = qualifier::repeat;
      break;
    default:
      return "Contact ID qualifier must be 1, 3 or 6, not '" + std::string(1, packed[0]) + "'";
  }
  e.code = packed.substr(1, 3);
  e.area = packed.substr(4, 2);
  e.zone = packed.substr(6, 3);
  return std::vector<unit_event>{e};
}

// "Nri1/QA003^Kitchen^/FA2": modifiers (two lower-case letters and a value; ri is the area)
// and events (two upper-case letters, a zone, and ^text^), separated by '/'.
std::variant<std::vector<unit_event>, std::string> sia(std::string_view text) {
  if (!text.empty() && text.front() == 'N') text.remove_prefix(1);
  std::vector<unit_event> out;
  std::string area;
  while (!text.empty()) {
    auto slash = text.find('/');
    auto part = text.substr(0, slash);
    text.remove_prefix(slash == std::string_view::npos ? text.size() : slash + 1);
    while (part.size() >= 2 && lower(part[0]) && lower(part[1])) {
      auto name = part.substr(0, 2);
      part.remove_prefix(2);
      std::size_t n = 0;
      while (n < part.size() && !upper(part[n])) ++n;
      if (name == "ri") area = std::string(part.substr(0, n));
      part.remove_prefix(n);
    }
    if (part.empty()) continue;
    if (part.size() < 2 || !upper(part[0]) || !upper(part[1]))
      return "an SIA event must start with its two-letter code, not '" + std::string(part.substr(0, 20)) + "'";
    unit_event e;
    e.scheme = code_scheme::sia;
    e.code = std::string(part.substr(0, 2));
    e.kind = e.code.size() == 2 && (e.code[1] == 'H' || e.code[1] == 'R' || e.code == "YK") ? qualifier::restore
                                                                                            : qualifier::new_event;
    part.remove_prefix(2);
    auto caret = part.find('^');
    e.zone = std::string(part.substr(0, caret));
    if (caret != std::string_view::npos) {
      auto text_part = part.substr(caret + 1);
      e.text = std::string(text_part.substr(0, text_part.find('^')));
    }
    e.area = area;
    out.push_back(std::move(e));
  }
  if (out.empty()) return std::string("an SIA message needs at least one event code");
  return out;
}

}  // namespace

std::variant<std::vector<unit_event>, std::string> read_events(std::string_view token, std::string_view data) {
  if (token == "NULL") return std::vector<unit_event>{};
  auto events = after_account(data);
  if (token == "ADM-CID") return contact_id(events);
  if (token == "SIA-DCS") return sia(events);
  return "no events in a \"" + std::string(token) + "\" message";
}

}  // namespace lantern::dc09
