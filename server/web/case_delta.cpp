#include "web/case_delta.hpp"

#include <google/protobuf/util/message_differencer.h>

#include <vector>

namespace lantern {

namespace v1 = lantern::console::v1;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::util::MessageDifferencer;

namespace {

// The fields an update may leave out: all but the case's id, its timeline (sent from a
// position), the card (sent when the case opens or its plan changes) and the marks of a
// partial update. A field added to Case later takes part by itself.
const std::vector<const FieldDescriptor*>& compared_fields() {
  static const auto fields = [] {
    std::vector<const FieldDescriptor*> out;
    const auto* d = v1::Case::descriptor();
    for (int i = 0; i < d->field_count(); ++i) {
      const auto* f = d->field(i);
      auto n = f->number();
      if (n == v1::Case::kCaseIdFieldNumber || n == v1::Case::kTimelineFieldNumber ||
          n == v1::Case::kTimelineFromFieldNumber || n == v1::Case::kPersonFieldNumber ||
          n == v1::Case::kDeviceFieldNumber || n == v1::Case::kPartialFieldNumber || n == v1::Case::kClearedFieldNumber)
        continue;
      // A list of plain values is always sent: Case has none to leave out.
      if (f->is_repeated() && f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
      out.push_back(f);
    }
    return out;
  }();
  return fields;
}

bool same(const Message& a, const Message& b, const FieldDescriptor* f) {
  const auto* r = a.GetReflection();
  if (f->is_repeated()) {
    int n = r->FieldSize(a, f);
    if (n != r->FieldSize(b, f)) return false;
    for (int i = 0; i < n; ++i)
      if (!MessageDifferencer::Equals(r->GetRepeatedMessage(a, f, i), r->GetRepeatedMessage(b, f, i))) return false;
    return true;
  }
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (r->HasField(a, f) != r->HasField(b, f)) return false;
      return !r->HasField(a, f) || MessageDifferencer::Equals(r->GetMessage(a, f), r->GetMessage(b, f));
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch_a, scratch_b;
      return r->GetStringReference(a, f, &scratch_a) == r->GetStringReference(b, f, &scratch_b);
    }
    case FieldDescriptor::CPPTYPE_INT64:
      return r->GetInt64(a, f) == r->GetInt64(b, f);
    case FieldDescriptor::CPPTYPE_UINT64:
      return r->GetUInt64(a, f) == r->GetUInt64(b, f);
    case FieldDescriptor::CPPTYPE_INT32:
      return r->GetInt32(a, f) == r->GetInt32(b, f);
    case FieldDescriptor::CPPTYPE_UINT32:
      return r->GetUInt32(a, f) == r->GetUInt32(b, f);
    case FieldDescriptor::CPPTYPE_BOOL:
      return r->GetBool(a, f) == r->GetBool(b, f);
    case FieldDescriptor::CPPTYPE_ENUM:
      return r->GetEnumValue(a, f) == r->GetEnumValue(b, f);
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return r->GetDouble(a, f) == r->GetDouble(b, f);
    case FieldDescriptor::CPPTYPE_FLOAT:
      return r->GetFloat(a, f) == r->GetFloat(b, f);
  }
  return false;
}

void copy(const Message& from, Message& to, const FieldDescriptor* f) {
  const auto* r = from.GetReflection();
  r->ClearField(&to, f);
  if (f->is_repeated()) {
    for (int i = 0, n = r->FieldSize(from, f); i < n; ++i)
      r->AddMessage(&to, f)->CopyFrom(r->GetRepeatedMessage(from, f, i));
    return;
  }
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (r->HasField(from, f)) r->MutableMessage(&to, f)->CopyFrom(r->GetMessage(from, f));
      return;
    case FieldDescriptor::CPPTYPE_STRING:
      r->SetString(&to, f, r->GetString(from, f));
      return;
    case FieldDescriptor::CPPTYPE_INT64:
      r->SetInt64(&to, f, r->GetInt64(from, f));
      return;
    case FieldDescriptor::CPPTYPE_UINT64:
      r->SetUInt64(&to, f, r->GetUInt64(from, f));
      return;
    case FieldDescriptor::CPPTYPE_INT32:
      r->SetInt32(&to, f, r->GetInt32(from, f));
      return;
    case FieldDescriptor::CPPTYPE_UINT32:
      r->SetUInt32(&to, f, r->GetUInt32(from, f));
      return;
    case FieldDescriptor::CPPTYPE_BOOL:
      r->SetBool(&to, f, r->GetBool(from, f));
      return;
    case FieldDescriptor::CPPTYPE_ENUM:
      r->SetEnumValue(&to, f, r->GetEnumValue(from, f));
      return;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      r->SetDouble(&to, f, r->GetDouble(from, f));
      return;
    case FieldDescriptor::CPPTYPE_FLOAT:
      r->SetFloat(&to, f, r->GetFloat(from, f));
      return;
  }
}

// Not at its default (a list: not empty).
bool set(const Message& m, const FieldDescriptor* f) {
  const auto* r = m.GetReflection();
  return f->is_repeated() ? r->FieldSize(m, f) > 0 : r->HasField(m, f);
}

}  // namespace

std::size_t case_delta::timeline_from(std::int64_t case_id) const {
  auto it = sent_.find(case_id);
  return it != sent_.end() && it->second.timeline_size > 1 ? it->second.timeline_size - 1 : 0;
}

void case_delta::trim(v1::Case& update, std::int64_t case_id, std::size_t timeline_size) {
  auto [it, first] = sent_.try_emplace(case_id);
  auto& last = it->second;
  last.timeline_size = timeline_size;
  const auto* r = update.GetReflection();
  for (const auto* f : compared_fields()) {
    if (first || !same(update, last.fields, f)) {
      // A console takes a missing field as unchanged: one back at its default is named.
      if (!first && !set(update, f)) update.add_cleared(f->name());
      copy(update, last.fields, f);
    } else {
      r->ClearField(&update, f);
    }
  }
  update.set_partial(!first);
}

}  // namespace lantern
