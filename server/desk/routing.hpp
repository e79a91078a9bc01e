#pragma once
// Operators' presence and who a new case is offered to first: ready operators who speak
// the person's preferred language, then, after a window, everyone.

#include "centre/centre.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lantern {

enum class presence { offline, ready, on_call, on_break };
std::string_view to_string(presence state);
// Only the states an operator may choose (offline is what no console means).
std::optional<presence> parse_chosen_presence(std::string_view text);

// Language tags match on their primary subtag: an operator with "cy" speaks to "cy-GB".
bool speaks(const std::vector<std::string>& languages, const std::string& tag);

using floor_presence = std::unordered_map<std::string, presence>;

// When a case in `language` opening at `now_ms` stops being offered only to ready speakers
// of it: now + window when one is ready, else now (offered to everyone at once).
std::int64_t language_first_until(const std::string& language, const floor_presence& floor, const centre& records,
                                  std::int64_t now_ms, std::int64_t window_ms);

// Whether operators may work cases at all (admins keep records, they are not on the floor).
bool works_cases(operator_role role);

}  // namespace lantern
