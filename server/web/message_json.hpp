#pragma once
// A protobuf message as JSON, by protobuf's JSON mapping (proto field names, 64-bit integers
// as strings), written straight from the message's reflection. protobuf's own printer
// serialises to binary and converts that through a type resolver: about 50 µs for one
// case's update, which at 5,000 updates a second was a quarter of the server's core.
// Covers what console.proto uses: scalars, strings, nested and repeated messages, oneofs.

#include <google/protobuf/message.h>

#include <string>

namespace lantern {

// `with_defaults`: also fields at their default (0, "", false) and empty lists, as
// protobuf's always_print_primitive_fields does; unset messages are left out either way.
void append_message_json(std::string& out, const google::protobuf::Message& message, bool with_defaults);

// `text` as a JSON string, quotes included. Bytes that are not UTF-8 become U+FFFD: a
// browser closes a WebSocket whose text frame is not UTF-8.
void append_json_string(std::string& out, std::string_view text);

}  // namespace lantern
