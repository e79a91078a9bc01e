#pragma once
// The domain core: turns stored alarms into cases and runs each case's life. A repeat of
// the same type from the same person joins the open case; the person's plan sets the
// priority; the queue is ordered by priority, then by age; operators' commands move cases
// through queued → accepted → (escalated) → resolved, with every step on the timeline.
// Single-threaded and clock-free: time comes in with each event.

#include "centre/case_record.hpp"
#include "centre/centre.hpp"
#include "desk/answer_stats.hpp"
#include "desk/refusal.hpp"
#include "desk/routing.hpp"

#include <array>
#include <map>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

namespace lantern {

struct desk_settings {
  std::int64_t language_first_ms = 20'000;      // offered to speakers of the language first
  std::int64_t reopen_window_ms = 60 * 60'000;  // a resolved case may be reopened this long
  std::int64_t arrival_grace_ms = 10 * 60'000;  // a carer later than their ETA by this raises the case
};

class desk {
 public:
  static constexpr std::size_t history_length = 10;

  explicit desk(const centre& records, desk_settings settings = {}) : records_(records), settings_(settings) {}
  // Not copied: open_by_person_ points into cases_.
  desk(const desk&) = delete;
  desk& operator=(const desk&) = delete;

  // Takes back the cases saved before a restart (the unapplied events are the caller's).
  void restore(desk_restore_point& point);

  // Applies one stored alarm. Returns the case it opened or changed; nothing for an alarm
  // that opens no case (a `test`, or a `cancel` with no open case to mark).
  const case_record* apply(const alarm_event& alarm);

  // Why `actor` may not give `command` now; nothing when it is allowed.
  std::optional<refusal> check(const case_command& command, const std::string& actor, std::int64_t now_ms) const;
  // Applies a command once it is durable. Nothing when it is refused after all (a replay
  // of a command the rules of this version no longer allow changes nothing).
  const case_record* execute(const case_action& action);

  // The server's own steps due by `now_ms`, by case: acknowledgement timeouts, overdue
  // arrivals, and the escalation a plan rule starts when nobody accepted a case in time.
  std::vector<case_command> due_steps(std::int64_t now_ms) const;

  // The person's record changed: their cases say what differs from the plan they opened under.
  void person_changed(const std::string& person_id);

  void set_presence(const std::string& username, presence state);
  const floor_presence& presence_on_floor() const { return floor_; }

  // Open cases, most urgent first: priority, then oldest first.
  std::vector<const case_record*> queue() const;
  // Cases resolved within the reopen window, newest first.
  std::vector<const case_record*> recently_resolved() const;
  const case_record* find(std::int64_t case_id) const;
  // The person's newest open case of `type` (raised by `device_id`, when given), if any.
  const case_record* open_case_from(const std::string& person_id, alarm_type type,
                                    std::optional<std::string_view> device_id = std::nullopt) const;
  // Whether `username` owns any open case.
  bool owns_open_case(const std::string& username) const;
  // The person's last resolved cases, newest first.
  std::span<const past_case> history_of(const std::string& person_id) const;
  std::size_t open_count(priority level) const;
  const answer_stats& answers() const { return answers_; }
  const desk_settings& settings() const { return settings_; }

  // Drops resolved cases past the reopen window and answer figures older than `keep_from_ms`.
  void forget_before(std::int64_t now_ms, std::int64_t keep_from_ms);

 private:
  // The person as `alarm` found them: the record now, or the plan of then for a replayed alarm.
  const person* person_at(const alarm_event& alarm) const;
  case_record* open_case_of(const std::string& person_id, std::optional<alarm_type> type);
  case_record& open_new_case(const alarm_event& alarm);
  void add_repeat(case_record& c, const alarm_event& alarm);
  void take(case_record& c, const std::string& username, std::int64_t at_ms);
  // Stands the escalation down, records the outcome and takes the case off the open lists.
  void resolve(case_record& c, const std::string& outcome, std::int64_t at_ms);
  void close(case_record& c);
  // The person's newest open case that `matches`, if any.
  template <typename Match>
  case_record* newest_open_case(const std::string& person_id, Match matches) const {
    auto it = open_by_person_.find(person_id);
    if (it == open_by_person_.end()) return nullptr;
    for (auto c = it->second.rbegin(); c != it->second.rend(); ++c)
      if (matches(**c)) return *c;
    return nullptr;
  }
  void reopen(case_record& c);
  std::string describe_contact(const case_record& c, const case_command& command) const;
  void run_escalation(case_record& c, const case_action& action);
  std::optional<refusal> device_return_refusal(const case_record* c, const std::string& actor) const;
  void apply_command(case_record& c, const case_action& action);

  const centre& records_;
  desk_settings settings_;
  std::map<std::int64_t, case_record> cases_;  // open and recently resolved
  // Pointers into cases_ (a map's entries stay put), oldest first: found on every alarm
  // without a search of cases_ per open case.
  std::unordered_map<std::string, std::vector<case_record*>> open_by_person_;
  std::unordered_map<std::string, std::vector<past_case>> history_;  // at most history_length each
  floor_presence floor_;
  answer_stats answers_;
  std::int64_t next_case_id_ = 1;
  // From the restore point; kept, since a live alarm's event id is above them all.
  std::unordered_map<std::int64_t, std::shared_ptr<const person>> plans_then_;
  std::array<std::size_t, 4> open_by_priority_{};  // kept as cases open, for metrics
};

}  // namespace lantern
