#include "web/message_json.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace lantern {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

template <class Number>
void append_number(std::string& out, Number value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

// Shortest digits for the value's own type: a float's 0.1 is 0.1, not 0.10000000149011612.
template <class Real>
void append_real(std::string& out, Real value) {
  if (std::isnan(value))
    out += "\"NaN\"";
  else if (std::isinf(value))
    out += value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  else
    append_number(out, value);
}

// The length of the UTF-8 sequence at `at`, or 0 when it is not one (overlong, a surrogate,
// past U+10FFFF, or cut short).
std::size_t utf8_length(std::string_view text, std::size_t at) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(at);
  std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  if (lead < 0xC2 || lead > 0xF4 || at + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i)
    if ((byte(at + i) & 0xC0) != 0x80) return 0;
  unsigned char second = byte(at + 1);
  if (lead == 0xE0 && second < 0xA0) return 0;  // overlong
  if (lead == 0xED && second > 0x9F) return 0;  // a surrogate
  if (lead == 0xF0 && second < 0x90) return 0;  // overlong
  if (lead == 0xF4 && second > 0x8F) return 0;  // past U+10FFFF
  return length;
}

// One value of a field: element `index` of a repeated field, or the field itself (index < 0).
struct field_value {
  const Message& message;
  const Reflection& reflection;
  const FieldDescriptor& field;
  int index;

  template <class T>
  T get(T (Reflection::*single)(const Message&, const FieldDescriptor*) const,
        T (Reflection::*repeated)(const Message&, const FieldDescriptor*, int) const) const {
    return index >= 0 ? (reflection.*repeated)(message, &field, index) : (reflection.*single)(message, &field);
  }
};

void append_value(std::string& out, const field_value& value, bool with_defaults) {
  using R = Reflection;
  const auto& field = value.field;
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      append_number(out, value.get(&R::GetInt32, &R::GetRepeatedInt32));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      append_number(out, value.get(&R::GetUInt32, &R::GetRepeatedUInt32));
      break;
    case FieldDescriptor::CPPTYPE_INT64:  // as strings: JavaScript numbers lose past 2^53
      out += '"';
      append_number(out, value.get(&R::GetInt64, &R::GetRepeatedInt64));
      out += '"';
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      out += '"';
      append_number(out, value.get(&R::GetUInt64, &R::GetRepeatedUInt64));
      out += '"';
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      append_real(out, value.get(&R::GetDouble, &R::GetRepeatedDouble));
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      append_real(out, value.get(&R::GetFloat, &R::GetRepeatedFloat));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      out += value.get(&R::GetBool, &R::GetRepeatedBool) ? "true" : "false";
      break;
    case FieldDescriptor::CPPTYPE_STRING: {
      if (field.type() == FieldDescriptor::TYPE_BYTES) throw std::logic_error("bytes fields are not written as JSON");
      std::string scratch;
      const auto& text = value.index >= 0
                             ? value.reflection.GetRepeatedStringReference(value.message, &field, value.index, &scratch)
                             : value.reflection.GetStringReference(value.message, &field, &scratch);
      append_json_string(out, text);
      break;
    }
    case FieldDescriptor::CPPTYPE_ENUM:
      append_json_string(out, value.get(&R::GetEnum, &R::GetRepeatedEnum)->name());
      break;
    case FieldDescriptor::CPPTYPE_MESSAGE:  // GetMessage takes a third, defaulted argument
      append_message_json(out,
                          value.index >= 0 ? value.reflection.GetRepeatedMessage(value.message, &field, value.index)
                                           : value.reflection.GetMessage(value.message, &field),
                          with_defaults);
      break;
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      if (auto length = utf8_length(text, i)) {
        out.append(text.substr(i, length));
        i += length;
      } else {
        out += "\xEF\xBF\xBD";
        ++i;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

void append_message_json(std::string& out, const Message& message, bool with_defaults) {
  const auto* descriptor = message.GetDescriptor();
  const auto* reflection = message.GetReflection();
  out += '{';
  bool first = true;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto* field = descriptor->field(i);
    if (field->is_map()) throw std::logic_error("map fields are not written as JSON");
    bool present;
    if (field->is_repeated())
      present = with_defaults || reflection->FieldSize(message, field) > 0;
    else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE || field->containing_oneof() != nullptr)
      present = reflection->HasField(message, field);
    else
      present = with_defaults || reflection->HasField(message, field);  // proto3: set = not the default
    if (!present) continue;
    if (!first) out += ',';
    first = false;
    append_json_string(out, field->name());
    out += ':';
    if (field->is_repeated()) {
      out += '[';
      for (int k = 0, n = reflection->FieldSize(message, field); k < n; ++k) {
        if (k > 0) out += ',';
        append_value(out, {message, *reflection, *field, k}, with_defaults);
      }
      out += ']';
    } else {
      append_value(out, {message, *reflection, *field, -1}, with_defaults);
    }
  }
  out += '}';
}

}  // namespace lantern
