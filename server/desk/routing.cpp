#include "desk/routing.hpp"

#include <array>

namespace lantern {
namespace {
constexpr std::array<std::string_view, 4> presence_names{"offline", "ready", "on_call", "on_break"};

std::string_view primary_subtag(std::string_view tag) { return tag.substr(0, tag.find('-')); }
}  // namespace

std::string_view to_string(presence state) { return presence_names[static_cast<std::size_t>(state)]; }

std::optional<presence> parse_chosen_presence(std::string_view text) {
  for (std::size_t i = 1; i < presence_names.size(); ++i)
    if (presence_names[i] == text) return static_cast<presence>(i);
  return std::nullopt;
}

bool speaks(const std::vector<std::string>& languages, const std::string& tag) {
  for (const auto& l : languages)
    if (primary_subtag(l) == primary_subtag(tag)) return true;
  return false;
}

bool works_cases(operator_role role) { return role != operator_role::admin; }

std::int64_t language_first_until(const std::string& language, const floor_presence& floor, const centre& records,
                                  std::int64_t now_ms, std::int64_t window_ms) {
  for (const auto& [username, state] : floor) {
    if (state != presence::ready) continue;
    auto it = records.operators.find(username);
    if (it != records.operators.end() && works_cases(it->second.role) && speaks(it->second.languages, language))
      return now_ms + window_ms;
  }
  return now_ms;
}

}  // namespace lantern
