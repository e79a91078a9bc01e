#pragma once
// Which commands each role may give, in which case states, and why a command is refused.
// Pure: the desk asks before it journals a command, and again when applying it.

#include "centre/case_command.hpp"
#include "centre/case_record.hpp"
#include "centre/centre.hpp"
#include "desk/refusal.hpp"

#include <optional>
#include <string>

namespace lantern {

constexpr std::size_t max_note_length = 4000;
// A case's story stays readable and its size bounded; past this, a resolution note still
// fits, and a new alarm opens a new case.
constexpr std::size_t max_notes_per_case = 200;

// Why `actor` may not give `command` on case `c` (nullptr: no such case) at `now_ms`;
// nothing when it is allowed.
std::optional<refusal> command_refusal(const case_record* c, const case_command& command, const operator_account& actor,
                                       const centre& records, std::int64_t now_ms, std::int64_t reopen_window_ms);

// "no open or recently resolved case 12"
refusal no_such_case(std::int64_t case_id);

}  // namespace lantern
