#pragma once
// What an alarm unit reports inside a DC-09 message: Contact ID ("ADM-CID": qualifier, event
// code, group, zone: "1101 01 003") or SIA DC-03 ("SIA-DCS": "Nri1/QA003^Kitchen^"), and
// what each code means to Lantern, kept as data (codes.cpp).

#include "centre/alarm_types.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lantern::dc09 {

enum class code_scheme { contact_id, sia };
enum class qualifier { new_event, restore, repeat };

struct unit_event {
  code_scheme scheme = code_scheme::contact_id;
  qualifier kind = qualifier::new_event;
  std::string code;  // "101" (Contact ID), "QA" (SIA)
  std::string zone;  // "003", "3"; empty when none
  std::string area;  // Contact ID group or SIA area (ri); empty when none
  std::string text;  // SIA ^text^, if any
};

// The events in a message's data, after the account ("#1234|" or "1234|"), or why not.
// A NULL message has none.
std::variant<std::vector<unit_event>, std::string> read_events(std::string_view token, std::string_view data);

struct event_meaning {
  std::optional<alarm_type> type;  // nothing: not in the table (still stored and shown, raw)
  std::string description;         // the standard's words: "Personal emergency", "Fire alarm"
  bool restore = false;            // the condition has cleared at the unit
};
// What `e` means. A restore of a mapped alarm keeps the alarm's type.
event_meaning meaning_of(const unit_event& e);

// One row of the table, for the README and the tests.
struct code_row {
  code_scheme scheme;
  std::string_view code;
  std::optional<alarm_type> type;
  std::string_view description;
  bool restore;
};
std::vector<code_row> code_table();

}  // namespace lantern::dc09
