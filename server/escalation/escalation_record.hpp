#pragma once
// A case's escalation to the person's carers, as the desk keeps it and the store saves it:
// the chain snapshotted from the plan when it started, and every responder tried so far.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lantern {

enum class escalation_status {
  none,               // never escalated
  calling,            // a responder has been notified and has not answered yet
  responder_going,    // a responder said "I'm going"
  responder_arrived,  // ... and is with the person
  done,               // the responder has finished and left a note
  handed_back,        // every responder on every pass was tried: back to the operators
  stopped,            // an operator stopped it, or the case was resolved
};
std::string_view to_string(escalation_status status);
std::optional<escalation_status> parse_escalation_status(std::string_view text);

enum class attempt_state {
  notified,  // waiting for a reply until reply_by_ms
  going,     // on the way, expected by eta_at_ms
  arrived,
  done,
  declined,       // "I can't"
  timed_out,      // no reply by reply_by_ms
  undeliverable,  // every channel failed, or there was none
  skipped,        // an operator moved on
  cancelled,      // the chain stopped, or someone else is going
};
std::string_view to_string(attempt_state state);
std::optional<attempt_state> parse_attempt_state(std::string_view text);

// Where a notification went and what became of it (one per channel per link).
struct delivery_result {
  std::string channel;  // email, webhook
  bool ok = false;
  std::string detail;
  std::int64_t at_ms = 0;
};

// A carer page link: the id is public (it finds the attempt), the secret only hashed.
struct carer_link {
  std::string id;
  std::string secret_hash;  // Argon2id
  std::int64_t expires_at_ms = 0;
};

struct responder_attempt {
  int number = 0;  // 1, 2, ... in the order tried, across passes
  int pass = 1;
  std::string carer_id;
  attempt_state state = attempt_state::notified;
  std::int64_t notified_at_ms = 0;
  std::int64_t reply_by_ms = 0;       // the plan's acknowledgement timeout
  std::int64_t eta_at_ms = 0;         // promised arrival
  std::int64_t arrive_by_ms = 0;      // eta plus grace: past it the case is raised again
  bool arrival_overdue = false;       // raised once, not every second
  std::vector<std::string> channels;  // what the notification goes out on; set with the first link
  std::vector<delivery_result> deliveries;
  std::vector<carer_link> links;

  bool is_live() const {
    return state == attempt_state::notified || state == attempt_state::going || state == attempt_state::arrived;
  }
};

struct escalation_record {
  escalation_status status = escalation_status::none;
  std::vector<std::string> chain;  // carer ids from the plan when it started, in calling order
  int ack_timeout_s = 600;
  int passes = 2;
  int pass = 1;
  std::size_t next = 0;  // index in `chain` of the responder to try next
  std::int64_t started_at_ms = 0;
  std::vector<responder_attempt> attempts;

  bool is_running() const {
    return status == escalation_status::calling || status == escalation_status::responder_going ||
           status == escalation_status::responder_arrived;
  }
  responder_attempt* attempt(int number) {
    return number >= 1 && number <= static_cast<int>(attempts.size()) ? &attempts[number - 1] : nullptr;
  }
  const responder_attempt* attempt(int number) const { return const_cast<escalation_record*>(this)->attempt(number); }
};

}  // namespace lantern
