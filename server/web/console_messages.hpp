#pragma once
// Builds the console's messages (console.proto) from the desk's cases and the centre's
// records, and writes them as JSON with protobuf's JSON mapping.

#include "centre/case_record.hpp"
#include "centre/centre.hpp"
#include "console.pb.h"

#include <string>

namespace lantern::console_messages {

lantern::console::v1::Case case_message(const case_record& c, const centre& records);
lantern::console::v1::OperatorInfo operator_message(const operator_account& account);
std::string to_json(const google::protobuf::Message& message);

}  // namespace lantern::console_messages
