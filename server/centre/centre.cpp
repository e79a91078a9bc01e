#include "centre/centre.hpp"

namespace lantern {

std::string_view to_string(record_kind kind) {
  switch (kind) {
    case record_kind::person:
      return "person";
    case record_kind::carer:
      return "carer";
    case record_kind::device:
      return "device";
    case record_kind::settings:
      return "settings";
    default:
      return "operator";
  }
}

std::string_view to_string(operator_role role) {
  switch (role) {
    case operator_role::supervisor:
      return "supervisor";
    case operator_role::admin:
      return "admin";
    default:
      return "operator";
  }
}

std::optional<operator_role> parse_operator_role(std::string_view text) {
  if (text == "operator") return operator_role::operator_;
  if (text == "supervisor") return operator_role::supervisor;
  if (text == "admin") return operator_role::admin;
  return std::nullopt;
}

}  // namespace lantern
