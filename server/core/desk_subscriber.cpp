#include "core/desk_subscriber.hpp"

namespace lantern {

bool case_change::owner_needs_access() const {
  if (plan_changed || opened_by_hand) return true;
  if (action == nullptr) return false;
  auto kind = action->command.kind;
  return kind == command_kind::accept || kind == command_kind::reassign || kind == command_kind::reopen;
}

}  // namespace lantern
