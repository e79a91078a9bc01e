#include "centre/alarm_types.hpp"
#include "centre/case_record.hpp"

#include <algorithm>
#include <array>

namespace lantern {
namespace {

struct alarm_type_info {
  alarm_type type;
  std::string_view id;
  priority default_level;
};

constexpr std::array<alarm_type_info, alarm_type_count> alarm_table{{
    {alarm_type::smoke, "smoke", priority::critical},
    {alarm_type::heat, "heat", priority::critical},
    {alarm_type::co, "co", priority::critical},
    {alarm_type::flood, "flood", priority::critical},
    {alarm_type::fall, "fall", priority::critical},
    {alarm_type::epilepsy, "epilepsy", priority::critical},
    {alarm_type::pendant, "pendant", priority::high},
    {alarm_type::pull_cord, "pull_cord", priority::high},
    {alarm_type::no_activity, "no_activity", priority::high},
    {alarm_type::bed_exit, "bed_exit", priority::high},
    {alarm_type::chair_exit, "chair_exit", priority::high},
    {alarm_type::door, "door", priority::high},
    {alarm_type::temperature, "temperature", priority::normal},
    {alarm_type::low_battery, "low_battery", priority::low},
    {alarm_type::mains_fail, "mains_fail", priority::low},
    {alarm_type::mains_restore, "mains_restore", priority::low},
    {alarm_type::tamper, "tamper", priority::low},
    {alarm_type::missed_checkin, "missed_checkin", priority::low},
    {alarm_type::cancel, "cancel", priority::low},
    {alarm_type::test, "test", priority::low},
    {alarm_type::medical, "medical", priority::high},
    {alarm_type::panic, "panic", priority::high},
    {alarm_type::gas, "gas", priority::critical},
    {alarm_type::comms_fault, "comms_fault", priority::normal},
    {alarm_type::unit_event, "unit_event", priority::normal},
    {alarm_type::restore, "restore", priority::low},
}};

// Every type has its row, at its own index: a type added to the enum without one fails here.
constexpr bool every_type_in_its_row() {
  for (std::size_t i = 0; i < alarm_table.size(); ++i)
    if (static_cast<std::size_t>(alarm_table[i].type) != i || alarm_table[i].id.empty()) return false;
  return true;
}
static_assert(every_type_in_its_row());

constexpr std::array<std::string_view, 4> priority_names{"critical", "high", "normal", "low"};

const alarm_type_info& info(alarm_type type) { return alarm_table[static_cast<std::size_t>(type)]; }

}  // namespace

std::string_view to_string(alarm_type type) { return info(type).id; }

std::string_view to_string(priority level) { return priority_names[static_cast<std::size_t>(level)]; }

std::optional<alarm_type> parse_alarm_type(std::string_view text) {
  auto it =
      std::find_if(alarm_table.begin(), alarm_table.end(), [&](const alarm_type_info& i) { return i.id == text; });
  if (it == alarm_table.end()) return std::nullopt;
  return it->type;
}

std::optional<priority> parse_priority(std::string_view text) {
  for (std::size_t i = 0; i < priority_names.size(); ++i)
    if (priority_names[i] == text) return static_cast<priority>(i);
  return std::nullopt;
}

std::span<const alarm_type> all_alarm_types() {
  static const auto types = [] {
    std::array<alarm_type, alarm_table.size()> out{};
    for (std::size_t i = 0; i < alarm_table.size(); ++i) out[i] = alarm_table[i].type;
    return out;
  }();
  return types;
}

priority default_priority(alarm_type type) { return info(type).default_level; }

bool is_life_safety(alarm_type type) {
  return type == alarm_type::smoke || type == alarm_type::heat || type == alarm_type::co || type == alarm_type::fall ||
         type == alarm_type::gas;
}

bool opens_case(alarm_type type) {
  return type != alarm_type::cancel && type != alarm_type::test && type != alarm_type::restore;
}

bool device_may_send(alarm_type type) { return type != alarm_type::missed_checkin; }

priority effective_priority(alarm_type type, std::optional<priority> override_level) {
  priority level = override_level.value_or(default_priority(type));
  if (is_life_safety(type) && level > priority::high) level = priority::high;
  return level;
}

std::string alarm_label(alarm_type type) {
  std::string label(to_string(type));
  for (auto& ch : label)
    if (ch == '_') ch = ' ';
  return label;
}

}  // namespace lantern
