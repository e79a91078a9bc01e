#include "web/console_command.hpp"

#include "centre/parse_number.hpp"

#include <cstdint>

namespace lantern {

std::variant<case_command, std::string> case_command_from(const lantern::console::v1::Command& request) {
  auto kind = parse_command_kind(request.type());
  if (!kind || !is_console_command(*kind))
    return "unknown command type '" + request.type() + "': one of resync, presence, find_person, open_person, " +
           "open_case, device_status, " + command_names();
  std::int64_t case_id = 0;
  if (!parse_number<std::int64_t>(request.case_id(), case_id, 1, INT64_MAX))
    return "case_id must be a case number, not '" + request.case_id() + "'";
  return case_command{*kind,
                      case_id,
                      request.note(),
                      request.outcome(),
                      request.who(),
                      request.carer_id(),
                      request.how(),
                      request.result(),
                      request.to(),
                      request.reason(),
                      {}};
}

}  // namespace lantern
