#pragma once
// Builds the console's messages (console.proto) from the desk's cases and the centre's
// records, and writes them as JSON with protobuf's JSON mapping.

#include "centre/case_record.hpp"
#include "centre/centre.hpp"
#include "console.pb.h"
#include "desk/refusal.hpp"

#include <span>
#include <string>

namespace lantern::console_messages {

// What of a case a message carries. An update leaves out what every console already has:
// the person's card (sent when the case opens) and the timeline before `timeline_from`.
struct case_parts {
  bool person = true;
  std::size_t timeline_from = 0;
  std::int64_t now_ms = 0;  // when responders' availability on the card is judged
};

// `history`: the person's last resolved cases, newest first.
lantern::console::v1::Case case_message(const case_record& c, const centre& records, std::span<const past_case> history,
                                        case_parts parts = {});
lantern::console::v1::OperatorInfo operator_message(const operator_account& account);
// A person's card outside any case (no alarm type: no plan instructions), with their last
// resolved cases. Never access details.
lantern::console::v1::PersonCard person_card(const person& p, const centre& records, std::span<const past_case> history,
                                             std::int64_t now_ms);
// The centre's name, phone, default language and standard notes.
void add_centre(lantern::console::v1::Snapshot& snapshot, const centre_settings& settings);
// The words commands use (outcome codes, contact targets, methods, results).
void add_vocabulary(lantern::console::v1::Snapshot& snapshot);
// The answer to a command: ok, or the refusal's code and words.
std::string result_json(const std::string& request_id, const command_answer& answer);
std::string to_json(const google::protobuf::Message& message);
// Leaves out fields at their default (empty, zero, false): for updates, the hot path, where
// they are a quarter of the bytes. The page treats a missing field as its default.
std::string to_compact_json(const google::protobuf::Message& message);

}  // namespace lantern::console_messages
