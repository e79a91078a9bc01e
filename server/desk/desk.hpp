#pragma once
// The domain core: turns stored alarms into cases. A repeat of the same type from the same
// person joins the open case; the person's plan sets the priority; the queue is ordered by
// priority, then by age. Single-threaded and clock-free: time comes in with each alarm.

#include "centre/case_record.hpp"
#include "centre/centre.hpp"

#include <array>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

namespace lantern {

class desk {
 public:
  explicit desk(const centre& records) : records_(records) {}

  // Takes back the open cases saved before a restart.
  void restore(std::vector<case_record> open_cases, std::int64_t next_case_id);

  // Applies one stored alarm. Returns the case it opened or changed; nothing for an alarm
  // that opens no case (a `test`, or a `cancel` with no open case to mark).
  std::optional<case_record> apply(const alarm_event& alarm);

  // Open cases, most urgent first: priority, then oldest first.
  std::vector<const case_record*> queue() const;
  std::size_t open_count(priority level) const;

 private:
  // The priority a new case of `type` for `person_id` gets under their plan.
  priority priority_for(const std::string& person_id, alarm_type type) const;
  case_record* open_case_of(const std::string& person_id, std::optional<alarm_type> type);

  const centre& records_;
  std::map<std::int64_t, case_record> open_;
  std::unordered_map<std::string, std::vector<std::int64_t>> open_by_person_;
  std::int64_t next_case_id_ = 1;
  std::array<std::size_t, 4> open_by_priority_{};  // kept as cases open, for metrics
};

}  // namespace lantern
