#include "desk/refusal.hpp"

namespace lantern {

std::string_view to_string(refusal_code code) {
  switch (code) {
    case refusal_code::invalid:
      return "invalid";
    case refusal_code::not_permitted:
      return "not_permitted";
    case refusal_code::no_such_case:
      return "no_such_case";
    case refusal_code::wrong_state:
      return "wrong_state";
    case refusal_code::already_done:
      return "already_done";
    case refusal_code::not_due:
      return "not_due";
    case refusal_code::closed:
      return "closed";
    case refusal_code::busy:
      return "busy";
    case refusal_code::overloaded:
      return "overloaded";
    case refusal_code::not_stored:
      return "not_stored";
    case refusal_code::changed_meanwhile:
      return "changed_meanwhile";
    case refusal_code::stopping:
      return "stopping";
  }
  return "invalid";
}

}  // namespace lantern
