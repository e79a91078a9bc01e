#pragma once
// What an operator asks the desk to do to a case, and the words it may use (outcome codes,
// contact targets, methods and results), kept as data in one place.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lantern {

// Operators' commands first (a console may send these), then the escalation's steps: a
// carer's reply from the carer page, and what the server itself records (timeouts,
// carer links issued, delivery results, an escalation a plan rule starts).
enum class command_kind {
  accept,
  release,
  note,
  contact,
  escalate,
  resolve,
  reopen,
  reassign,
  skip_responder,
  stop_escalation,
  restart_escalation,
  responder_reply,
  responder_timeout,
  arrival_overdue,
  link_issued,
  delivery,
  auto_escalate,
  device_returned,  // a device that missed its check-in is heard again: its case closes
};
std::string_view to_string(command_kind kind);
std::optional<command_kind> parse_command_kind(std::string_view text);
// Whether an operator's console may send it (the rest come from carers and the server).
constexpr bool is_console_command(command_kind kind) { return kind <= command_kind::restart_escalation; }
// "accept, release, ...": every console command, for messages that say what may be sent.
std::string command_names();

// What an escalation step carries, beyond the case.
struct responder_step {
  int attempt = 0;                    // which responder attempt (1, 2, ...)
  std::string reply;                  // responder_reply: going, cant, arrived, done
  int eta_min = 0;                    // going: minutes until arrival
  std::string channel;                // delivery: email, webhook
  bool delivered = false;             // delivery
  std::vector<std::string> channels;  // link_issued: where the notification goes out
  std::string link_id;                // link_issued
  std::string link_hash;              // link_issued: Argon2id of the link's secret
  std::int64_t link_expires_at_ms = 0;
};

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
  std::string reason;    // reassign (and a supervisor's take-over): why, for the one who loses it
  responder_step step;   // escalation steps
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
