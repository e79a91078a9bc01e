// The table from unit event codes to Lantern's alarm types, as data. Contact ID codes come
// with a qualifier (1 new, 3 restore, 6 repeat); SIA DC-03 codes have their own restore
// codes. A code that is not here still reaches the operators, raw, at normal priority.
#include "dc09/events.hpp"

#include <iterator>

namespace lantern::dc09 {
namespace {

using at = alarm_type;
constexpr auto cid = code_scheme::contact_id;
constexpr auto sia = code_scheme::sia;

constexpr code_row rows[] = {
    {cid, "100", at::medical, "Medical", false},
    {cid, "101", at::pendant, "Personal emergency", false},
    {cid, "110", at::smoke, "Fire", false},
    {cid, "111", at::smoke, "Smoke", false},
    {cid, "113", at::flood, "Water flow", false},
    {cid, "114", at::heat, "Heat", false},
    {cid, "120", at::panic, "Panic", false},
    {cid, "137", at::tamper, "Tamper", false},
    {cid, "151", at::gas, "Gas detected", false},
    {cid, "154", at::flood, "Water leakage", false},
    {cid, "159", at::temperature, "Low temperature", false},
    {cid, "162", at::co, "Carbon monoxide detected", false},
    {cid, "301", at::mains_fail, "AC loss", false},
    {cid, "302", at::low_battery, "Low system battery", false},
    {cid, "350", at::comms_fault, "Communication trouble", false},
    {cid, "383", at::tamper, "Sensor tamper", false},
    {cid, "384", at::low_battery, "RF low battery", false},
    {cid, "406", at::cancel, "Cancel", false},
    {cid, "602", at::test, "Periodic test report", false},
    {cid, "641", at::no_activity, "Senior watch trouble", false},
    {cid, "654", at::no_activity, "System inactivity", false},
    {sia, "QA", at::pendant, "Emergency alarm", false},
    {sia, "QH", at::pendant, "Emergency alarm restore", true},
    {sia, "MA", at::medical, "Medical alarm", false},
    {sia, "MH", at::medical, "Medical alarm restore", true},
    {sia, "PA", at::panic, "Panic alarm", false},
    {sia, "PH", at::panic, "Panic alarm restore", true},
    {sia, "FA", at::smoke, "Fire alarm", false},
    {sia, "FH", at::smoke, "Fire alarm restore", true},
    {sia, "KA", at::heat, "Heat alarm", false},
    {sia, "KH", at::heat, "Heat alarm restore", true},
    {sia, "GA", at::gas, "Gas alarm", false},
    {sia, "GH", at::gas, "Gas alarm restore", true},
    {sia, "WA", at::flood, "Water alarm", false},
    {sia, "WH", at::flood, "Water alarm restore", true},
    {sia, "ZA", at::temperature, "Freeze alarm", false},
    {sia, "ZH", at::temperature, "Freeze alarm restore", true},
    {sia, "NA", at::no_activity, "No activity", false},
    {sia, "AT", at::mains_fail, "AC trouble", false},
    {sia, "AR", at::mains_restore, "AC restoral", true},
    {sia, "YT", at::low_battery, "System battery trouble", false},
    {sia, "YR", at::low_battery, "System battery restoral", true},
    {sia, "XT", at::low_battery, "Transmitter battery trouble", false},
    {sia, "XR", at::low_battery, "Transmitter battery restoral", true},
    {sia, "TA", at::tamper, "Tamper alarm", false},
    {sia, "TR", at::tamper, "Tamper restoral", true},
    {sia, "YC", at::comms_fault, "Communications fail", false},
    {sia, "YK", at::comms_fault, "Communications restoral", true},
    {sia, "RP", at::test, "Automatic test", false},
    {sia, "OC", at::cancel, "Cancel report", false},
};

}  // namespace

std::vector<code_row> code_table() { return {std::begin(rows), std::end(rows)}; }

event_meaning meaning_of(const unit_event& e) {
  static const auto table = code_table();
  for (const auto& row : table) {
    if (row.scheme != e.scheme || row.code != e.code) continue;
    event_meaning out{row.type, std::string(row.description), row.restore};
    if (e.scheme == code_scheme::contact_id && e.kind == qualifier::restore) {
      out.restore = true;
      out.description += " restore";
      // The mains come back: a type of its own, as on Lantern's own link.
      if (row.type == alarm_type::mains_fail) out.type = alarm_type::mains_restore;
    }
    return out;
  }
  std::string scheme = e.scheme == code_scheme::contact_id ? "Contact ID " : "SIA ";
  return {std::nullopt, scheme + e.code + " (not in Lantern's table)", e.kind == qualifier::restore};
}

}  // namespace lantern::dc09
