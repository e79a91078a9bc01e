#pragma once
// Why a command was not carried out: a code for programs (and the console's wire), and the
// sentence for people, shown as it is. Callers branch on the code, never on the words.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lantern {

enum class refusal_code : std::uint8_t {
  invalid,            // a field is missing, unknown or too long
  not_permitted,      // the actor's role, or whose case it is, does not allow it
  no_such_case,       // not open, nor resolved recently enough to reopen
  wrong_state,        // the case (or the responder) is not where this command applies
  already_done,       // someone got there first: accepted, escalated, on the way
  not_due,            // a server step whose time has not come, or has passed
  closed,             // the case is resolved, or past its reopen window
  busy,               // too many commands are waiting on the case
  overloaded,         // the journal's queue is full: nothing was changed
  not_stored,         // the journal could not store it: nothing was changed
  changed_meanwhile,  // allowed when checked, refused when applied: the case had moved on
  stopping,           // the server is stopping
};
std::string_view to_string(refusal_code code);

struct refusal {
  refusal_code code = refusal_code::invalid;
  std::string reason;
};

// The answer to a command: nothing when it was carried out.
using command_answer = std::optional<refusal>;

}  // namespace lantern
