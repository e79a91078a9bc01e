#pragma once
// A device alarm as the journal stores it, and a case as the desk keeps it: the plain
// structs passed between the gateway, the journal, the core and the desk.

#include "centre/alarm_types.hpp"
#include "centre/case_command.hpp"
#include "centre/centre.hpp"
#include "escalation/escalation_record.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace lantern {

struct alarm_event {
  std::int64_t event_id = 0;  // assigned by the journal when stored
  std::string device_id;
  std::uint64_t device_seq = 0;
  std::uint64_t device_epoch = 0;  // Hello.epoch: a seq is unique per device and epoch
  std::string person_id;
  alarm_type type = alarm_type::pendant;
  std::int64_t occurred_at_ms = 0;  // device clock
  std::int64_t received_at_ms = 0;  // centre clock
  std::string detail;
  // Set by the journal: this seq was stored before in this epoch with a different alarm.
  // Stored all the same, and shown to operators.
  bool seq_reused = false;
  // From an alarm unit (SIA DC-09), whose seq wraps at 9999: a digest of the event's content
  // and seq. The same digest from the same device within resend_window_ms is a re-send,
  // stored once; device_seq is not kept.
  std::string resend_digest{};
  // A case an operator opened by hand (a relative phoned in): who. It has no device, and it
  // counts in no answer rate, since nobody waited for it.
  std::string opened_by{};
};

// How long an alarm unit may take to re-send an event whose ACK it did not get.
inline constexpr std::int64_t resend_window_ms = 10 * 60 * 1000;

// An operator's command as the journal stores it, applied to the desk once durable.
struct case_action {
  std::int64_t event_id = 0;  // assigned by the journal when stored
  std::int64_t at_ms = 0;
  std::string actor;  // username
  case_command command;
  std::uint64_t request_token = 0;  // which waiting console request it answers; 0 when replayed
};

// A record an administrator changed, for the live records once the change is durable.
struct record_update {
  record_kind kind = record_kind::person;
  std::string id;
  // Nothing: deactivated. Held by pointer: every alarm in the journal's hands is a
  // desk_event too, and a record inline would make each of them five times the size.
  std::shared_ptr<const any_record> now;
};

// What the journal hands the desk after each commit, in commit order.
using desk_event = std::variant<alarm_event, case_action, record_update>;

enum class case_state { queued, accepted, escalated, resolved };
std::string_view to_string(case_state state);
std::optional<case_state> parse_case_state(std::string_view text);

// One line of a case's story: a device event, an operator's action or note.
struct timeline_entry {
  std::int64_t at_ms = 0;
  std::string kind;   // alarm, repeat, cancelled_at_unit, accepted, released, note, contact, ...
  std::string actor;  // a username, or the device id for device events
  std::string text;
};

struct case_record {
  std::int64_t case_id = 0;
  std::string person_id;
  alarm_type type = alarm_type::pendant;
  priority level = priority::high;
  case_state state = case_state::queued;
  std::int64_t opened_at_ms = 0;
  std::int64_t last_alarm_at_ms = 0;
  std::uint32_t alarm_count = 1;
  bool cancelled_at_unit = false;
  std::string device_id;
  std::string detail;
  std::int64_t first_event_id = 0;
  std::int64_t last_event_id = 0;

  std::string owner;                 // username of the operator handling it; "" while queued
  std::int64_t answered_at_ms = 0;   // the first accept: answer times count from opened_at_ms
  std::int64_t owned_since_ms = 0;   // when the current owner took it
  std::int64_t escalated_at_ms = 0;  // 0 unless escalated
  std::int64_t resolved_at_ms = 0;   // 0 unless resolved
  std::string outcome;               // an outcome code once resolved
  // Routing: offered first to ready operators who speak `language`, until then.
  std::string language;
  std::int64_t language_first_until_ms = 0;
  std::vector<timeline_entry> timeline;
  std::uint32_t repeats_in_a_row = 0;  // how many presses the last "repeat" line stands for
  // Why the case is raised again (no responder reached, a carer overdue); cleared when an
  // operator next acts on it.
  std::string attention;
  escalation_record escalation;
  // The person's record and plan as they were when the case opened: the case is worked to
  // that plan, and shows when the plan has changed since.
  std::shared_ptr<const person> plan_at_open;
  // Derived, not stored: plan_changes_since_open, kept current by the desk as records change.
  std::vector<std::string> plan_changes;

  bool is_open() const { return state != case_state::resolved; }
};

// The person as their case is worked: their record and plan when the case opened (or now,
// for a case opened before plans were kept with cases).
inline const person* person_of(const case_record& c, const centre& records) {
  return c.plan_at_open ? c.plan_at_open.get() : records.find_person(c.person_id);
}

// The fields of the person's record and plan that differ from when the case opened ("plan",
// "medical_notes", "plan.responders"; "record deactivated" when the person is gone); none
// for a case opened before plans were kept with cases.
std::vector<std::string> plan_changes_since_open(const case_record& c, const centre& records);

// A resolved case as the plan card lists it ("last 10 cases").
struct past_case {
  std::int64_t case_id = 0;
  std::string person_id;
  alarm_type type = alarm_type::pendant;
  std::string outcome;
  std::int64_t opened_at_ms = 0;
  std::int64_t answered_at_ms = 0;
  bool opened_by_hand = false;  // by an operator for a call that came in by phone: in no answer rate
};

// What the desk needs at start to reach the state it had: read from the store.
struct desk_restore_point {
  std::vector<case_record> cases;  // open, and resolved within the reopen window, with timelines
  std::int64_t next_case_id = 1;
  std::vector<past_case> history;        // each person's last resolved cases, newest first
  std::vector<past_case> opened_lately;  // every case opened in the last day (answer rates)
  // Events stored after the cases were last saved (a crash in between): the desk applies
  // them again, in order, to reach the state it had.
  std::vector<desk_event> unapplied;
  // For an unapplied alarm whose person was changed after it (before the crash): the person
  // and plan as the alarm found them, by the alarm's event id. The records are read as they
  // are now, and a case opens under the plan of its alarm's moment.
  std::unordered_map<std::int64_t, std::shared_ptr<const person>> plans_then;
};

}  // namespace lantern
