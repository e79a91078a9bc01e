#pragma once
// What an operator asks the desk to do to a case, and the words it may use (outcome codes,
// contact targets, methods and results), kept as data in one place.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lantern {

enum class command_kind { accept, release, note, contact, escalate, resolve, reopen, reassign };
std::string_view to_string(command_kind kind);
std::optional<command_kind> parse_command_kind(std::string_view text);
// "accept, release, ...": every command, for messages that say what may be sent.
std::string command_names();

struct case_command {
  command_kind kind = command_kind::accept;
  std::int64_t case_id = 0;
  std::string note;      // note, resolve (required), escalate (optional reason)
  std::string outcome;   // resolve: one of outcome_codes()
  std::string who;       // contact: one of contact_targets()
  std::string carer_id;  // contact with a responder
  std::string how;       // contact: one of contact_methods()
  std::string result;    // contact: one of contact_results()
  std::string to;        // reassign: the username who takes the case
};

struct code_label {
  std::string_view id;     // on the wire and in the database
  std::string_view label;  // on screen and in the timeline
};

// DOMAIN.md "Cases": how a case ended.
std::span<const code_label> outcome_codes();
std::span<const code_label> contact_targets();
std::span<const code_label> contact_methods();
std::span<const code_label> contact_results();
// The label of `id` in `codes`, or nothing when `id` is not one of them.
std::optional<std::string_view> label_of(std::span<const code_label> codes, std::string_view id);

// The command as the events table keeps it (JSON), and back. Nothing for a payload that is
// not a command this version understands.
std::string to_payload(const case_command& command);
std::optional<case_command> parse_payload(std::string_view payload);

}  // namespace lantern
