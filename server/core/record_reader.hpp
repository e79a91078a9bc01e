#pragma once
// The records as the admin API and the welfare list read them, through the store: pages of
// records with a search, one record with what goes with it, a person's whole record for a
// subject access request, every active record (the centre file export), and the welfare
// list. Each call reads the database and may block: callers run it off the I/O threads.
// Changes go through desk_core::change_record, never here.

#include "centre/case_record.hpp"
#include "centre/centre.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lantern {

struct record_query {
  std::string search;           // part of an id or name, any case; empty: every record
  bool active_only = true;      // false: deactivated records too
  bool review_overdue = false;  // persons only: review date before `today`
  std::string today;            // YYYY-MM-DD, for review_overdue
  int page = 1;                 // from 1
  int per_page = 50;
};

// One person on the welfare-check list after an outage.
struct welfare_row {
  std::string person_id;
  std::int64_t alarms = 0;  // every alarm stored in the window, missed check-ins included
  std::int64_t missed_checkins = 0;
  std::int64_t last_at_ms = 0;
  std::map<std::string, std::int64_t> by_type;  // alarm type -> count
};

class record_reader {
 public:
  virtual ~record_reader() = default;
  // {"items": [...], "total": N, "page": P, "per_page": K}, ordered by name, then id.
  virtual boost::json::object list(record_kind kind, const record_query& query) = 0;
  // The record with version and active flag, and: for a person, the last review and the
  // counts of their cases since `outcomes_since_ms`; for a device, when it was last heard.
  virtual std::optional<boost::json::object> read(record_kind kind, const std::string& id,
                                                  std::int64_t outcomes_since_ms) = 0;
  // Everything held about one person (subject access request); nothing when no such person.
  virtual std::optional<boost::json::object> subject_access(const std::string& person_id) = 0;
  // Every active record.
  virtual centre active_records() = 0;
  // Every person with alarms or missed check-ins in the window, newest activity first.
  virtual std::vector<welfare_row> welfare(std::int64_t from_ms, std::int64_t to_ms) = 0;
  // Every stored alarm and case action, from the first, in the order stored (the service
  // report replays them through a desk of its own).
  virtual void replay_events(const std::function<void(const desk_event&)>& each) = 0;
};

}  // namespace lantern
