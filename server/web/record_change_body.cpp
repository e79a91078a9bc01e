#include "web/record_change_body.hpp"

#include "centre/calendar.hpp"
#include "centre/centre_parser.hpp"

#include <cstdint>

namespace lantern {
namespace {

// The `version` the change was made to: required on every change to an existing record.
std::optional<int> take_version(boost::json::object& body, std::vector<field_error>& errors) {
  const auto* v = body.if_contains("version");
  std::optional<int> out;
  if (v == nullptr)
    errors.push_back({"version", "is required: the version of the record you changed, as you read it"});
  else if (!v->is_int64() || v->as_int64() < 1 || v->as_int64() > INT32_MAX)
    errors.push_back({"version", "must be a whole number from 1"});
  else
    out = static_cast<int>(v->as_int64());
  body.erase("version");
  return out;
}

}  // namespace

change_or_errors change_from_record_body(record_kind kind, const std::string& key, const std::string& id,
                                         boost::json::object body, const centre& records) {
  bool updating = !id.empty();
  std::vector<field_error> errors;
  record_change change;
  change.kind = kind;
  change.action = updating ? change_action::update : change_action::create;
  if (updating) {
    if (auto version = take_version(body, errors)) change.expected_version = *version;
    // The address names the record; a body may repeat its id, never name another.
    if (const auto* named = body.if_contains(key); named && !(named->is_string() && named->as_string() == id))
      errors.push_back({key, "must be '" + id + "', the record at this address"});
    body[key] = id;
  }
  // Access details are never read back (see remove_access): a person sent without them keeps
  // the stored ones.
  if (updating && kind == record_kind::person && !body.contains("access")) change.keep_access = true;
  // What a GET shows but nobody sets: sending back what was read is not an error.
  for (const char* read_only : {"active", "last_seen_ms", "last_review", "outcomes", "key_set"}) body.erase(read_only);
  auto checked = parse_record_body(kind, body, records, updating);
  errors.insert(errors.end(), checked.errors.begin(), checked.errors.end());
  if (!errors.empty()) return errors;
  change.record = std::move(checked.record);
  change.id = std::visit(
      [](const auto& r) {
        if constexpr (std::is_same_v<std::decay_t<decltype(r)>, operator_account>)
          return r.username;
        else
          return r.id;
      },
      change.record);
  return change;
}

change_or_errors change_from_action_body(record_kind kind, const std::string& id, const std::string& action,
                                         boost::json::object body, std::int64_t at_ms) {
  std::vector<field_error> errors;
  record_change change;
  change.kind = kind;
  change.id = id;
  change.at_ms = at_ms;
  if (auto version = take_version(body, errors)) change.expected_version = *version;
  boost::json::value rest(std::move(body));
  json_reader reader(&rest, "", errors);
  if (action == "review") {
    change.action = change_action::review;
    change.review_note = reader.text("note", false, 2000);
    change.next_review_due = reader.text("next_review_due", true, 10);
    auto today = iso_date_of(change.at_ms);
    if (!change.next_review_due.empty() && (!parse_iso_date(change.next_review_due) || change.next_review_due <= today))
      reader.fail("next_review_due", "'" + change.next_review_due + "' must be a date YYYY-MM-DD after today");
  } else {
    change.action = change_action::deactivate;
  }
  reader.reject_unknown_keys();
  if (!errors.empty()) return errors;
  return change;
}

}  // namespace lantern
