#pragma once
// Escalation to the person's carers, one case at a time. The chain is snapshotted from the
// plan when it starts; each responder gets the plan's acknowledgement timeout; a decline, a
// timeout or a failed delivery moves on at once; carers outside their availability window
// are skipped (and the skip is on the timeline); after the last responder the chain goes
// round again for the plan's passes, then hands the case back to the operators at a raised
// priority. "I'm going" starts the arrival watch: no arrival by the ETA plus a grace period
// raises the case again. Pure and clock-free, like the desk it belongs to.

#include "centre/case_record.hpp"
#include "centre/centre.hpp"
#include "desk/refusal.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lantern {

// The actor name of a carer replying from the carer page, and of the server itself.
std::string carer_actor(const std::string& carer_id);
inline constexpr const char* system_actor = "system";

class escalation_chain {
 public:
  escalation_chain(case_record& c, const centre& records, std::int64_t arrival_grace_ms)
      : case_(c), records_(records), arrival_grace_ms_(arrival_grace_ms) {}

  // Snapshots the plan's responders as they are now and notifies the first available one.
  void start(std::int64_t at_ms);
  // An operator moves past the responder being tried.
  void skip(std::int64_t at_ms, const std::string& actor);
  // The chain ends: an operator stopped it or the case was resolved.
  void stop(std::int64_t at_ms, const std::string& why);
  // A carer's reply, a timeout, an overdue arrival, a link issued or a delivery result.
  void apply_step(const case_action& action);

 private:
  void call_next(std::int64_t at_ms);
  void hand_back(std::int64_t at_ms);
  void reply(const case_action& action, responder_attempt& a);
  void delivered(const case_action& action, responder_attempt& a);
  void undeliverable(std::int64_t at_ms, responder_attempt& a, const std::string& why);
  void raise(std::string attention);
  std::string name_of(const std::string& carer_id) const;
  void line(std::int64_t at_ms, const std::string& actor, std::string text);
  bool said_since(std::int64_t since_ms, const std::string& text) const;

  case_record& case_;
  const centre& records_;
  std::int64_t arrival_grace_ms_;
};

// Why `actor` may not take the escalation step `command` (a carer's reply or one of the
// server's own steps) now; nothing when it may.
std::optional<refusal> escalation_step_refusal(const case_record* c, const case_command& command,
                                               const std::string& actor, std::int64_t now_ms);

// The server's steps due by `now` on this case: acknowledgement timeouts and overdue arrivals.
std::vector<case_command> due_steps(const case_record& c, std::int64_t now_ms);

// The attempt a carer is answering (the live one, or a late "I'm going").
const responder_attempt* current_attempt(const escalation_record& e);

}  // namespace lantern
