#pragma once
// A console's message (already JSON-decoded) as the case command it asks for, or why it is
// not one: an unknown type, or a case id that is not a case number.

#include "centre/case_command.hpp"
#include "console.pb.h"

#include <string>
#include <variant>

namespace lantern {

std::variant<case_command, std::string> case_command_from(const lantern::console::v1::Command& request);

}  // namespace lantern
