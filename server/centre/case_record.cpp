#include "centre/case_record.hpp"

#include "centre/record_json.hpp"

#include <array>

namespace lantern {
namespace {
constexpr std::array<std::string_view, 4> case_state_names{"queued", "accepted", "escalated", "resolved"};
}

std::string_view to_string(case_state state) { return case_state_names[static_cast<std::size_t>(state)]; }

std::optional<case_state> parse_case_state(std::string_view text) {
  for (std::size_t i = 0; i < case_state_names.size(); ++i)
    if (case_state_names[i] == text) return static_cast<case_state>(i);
  return std::nullopt;
}

std::vector<std::string> plan_changes_since_open(const case_record& c, const centre& records) {
  const auto* now = records.find_person(c.person_id);
  if (!c.plan_at_open || (now != nullptr && now->version == c.plan_at_open->version)) return {};
  if (now == nullptr) return {"record deactivated"};
  // Compared as the API writes them, so a field added to the records is compared too.
  auto before = to_json(*c.plan_at_open), after = to_json(*now);
  std::vector<std::string> out;
  for (const auto& [key, value] : before) {
    if (key == "plan") continue;
    if (after[key] != value) out.emplace_back(key);
  }
  const auto& plan_before = before["plan"].as_object();
  auto& plan_after = after["plan"].as_object();
  for (const auto& [key, value] : plan_before)
    if (plan_after[key] != value) out.push_back("plan." + std::string(key));
  // A new version with nothing visible changed (a secret, say) still says the plan changed.
  if (out.empty()) out.emplace_back("plan");
  return out;
}

}  // namespace lantern
