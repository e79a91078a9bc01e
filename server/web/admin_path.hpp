#pragma once
// The admin API's addresses ("/api/v1/persons/ann/review") as their parts, and what never
// leaves in an answer (access details).

#include "centre/centre.hpp"

#include <boost/json/value.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace lantern {

struct admin_collection {
  std::string_view name;
  record_kind kind;
  const char* key;  // the id field of its records
};
inline constexpr std::array<admin_collection, 5> collections{
    {{"persons", record_kind::person, "id"},
     {"carers", record_kind::carer, "id"},
     {"devices", record_kind::device, "id"},
     {"operators", record_kind::operator_account, "username"},
     {"settings", record_kind::settings, "id"}}};  // one record: /api/v1/settings/centre

// "/api/v1/persons/ann/review" as its parts.
struct admin_path {
  const admin_collection* of = nullptr;  // nothing: /api/v1/centre-file
  std::string id;                        // "" for the collection itself
  std::string action;                    // "", "deactivate", "review" or "record"
};

// The parts of `path`, or nothing when it is not one of the admin API's.
std::optional<admin_path> parse_admin_path(std::string_view path);

// Takes every `access` member out of `v`, at any depth.
void remove_access(boost::json::value& v);

}  // namespace lantern
