#pragma once
// What the core publishes. Transports (the consoles, carer pages), escalation, supervision
// and logins subscribe before the core starts; every call comes on the core's strand, in
// the order the changes happened, and must return at once (queue, never block). A
// subscriber reads the desk and the live records through the core while it is called.

#include "centre/case_command.hpp"
#include "centre/case_record.hpp"
#include "centre/centre.hpp"
#include "desk/routing.hpp"

#include <cstdint>
#include <string>

namespace lantern {

// Why a case is published.
struct case_change {
  bool opened = false;          // a new case: it carries the person's card for the first time
  bool plan_changed = false;    // the person's record changed: their card (and access details) again
  bool restored = false;        // at start, every open case once, before any event
  bool opened_by_hand = false;  // opened by an operator, who owns it from the start
  // The command that changed it, or nothing (an alarm, a plan change, a restore).
  const case_action* action = nullptr;
  escalation_status escalation_before = escalation_status::none;  // with an action
  // accept, reassign, reopen, plan_changed, opened by hand: the owner's consoles get the access details.
  bool owner_needs_access() const;
};

class desk_subscriber {
 public:
  virtual ~desk_subscriber() = default;
  virtual void case_changed(const case_record& /*c*/, const case_change& /*change*/) {}
  // An operator chose ready, on a call or a break.
  virtual void presence_chosen(const std::string& /*username*/, presence /*state*/) {}
  // A record an administrator changed is live (`now` is null when deactivated).
  virtual void record_changed(const record_update& /*update*/) {}
  // An operator's logins must end: deactivated, a new password or a new role.
  virtual void access_ended(const std::string& /*username*/) {}
  // Once a second; `minute` once a minute, when the past is forgotten.
  virtual void ticked(std::int64_t /*now_ms*/, bool /*minute*/) {}
};

}  // namespace lantern
