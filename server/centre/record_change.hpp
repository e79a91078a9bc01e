#pragma once
// An administrator's change to one record (create, update, deactivate, or a plan review),
// as it is asked for and as it ends: what the admin API hands the core, and the store
// checks and writes with its audit event.

#include "centre/centre.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace lantern {

// One record as stored, active or not.
struct stored_record {
  any_record record;
  int version = 1;
  bool active = true;
};
// access_read, person_read and subject_access_export change nothing: they are the audit
// events of an admin reading a person's access details (a key-safe code), of an operator
// opening a person's card without a case, and of an admin exporting everything held on a
// person, written before what was read is shown.
enum class change_action { create, update, deactivate, review, access_read, person_read, subject_access_export };
constexpr bool is_audited_read(change_action action) {
  return action == change_action::access_read || action == change_action::person_read ||
         action == change_action::subject_access_export;
}

struct record_change {
  record_kind kind = record_kind::person;
  change_action action = change_action::update;
  std::string id;
  int expected_version = 0;  // update, deactivate, review: the version the change was made to
  any_record record;         // create, update; a secret hash left empty keeps the stored one
  bool keep_access = false;  // update of a person sent without `access`: the stored one stays
  std::string review_note;   // review
  std::string next_review_due;
  std::string actor;  // username
  std::int64_t at_ms = 0;
};

struct change_result {
  enum class status { done, not_found, conflict, refused, failed } outcome = status::failed;
  std::string message;                   // when not done: why, in words for the administrator
  std::optional<stored_record> current;  // the record as stored now (after the change when done)
};

}  // namespace lantern
