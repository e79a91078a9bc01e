#include "store/welfare_query.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <unordered_map>

namespace lantern {

std::vector<welfare_row> welfare_list(SQLite::Database& db, std::int64_t from_ms, std::int64_t to_ms) {
  SQLite::Statement q(db, R"(SELECT person_id, alarm_type, count(*), max(recorded_at_ms) FROM events
      WHERE kind = 'alarm' AND recorded_at_ms >= ? AND recorded_at_ms < ? AND alarm_type NOT IN ('test', 'cancel')
      GROUP BY person_id, alarm_type)");
  q.bind(1, from_ms);
  q.bind(2, to_ms);
  std::unordered_map<std::string, welfare_row> rows;
  while (q.executeStep()) {
    auto& row = rows[q.getColumn(0).getString()];
    row.person_id = q.getColumn(0).getString();
    auto type = q.getColumn(1).getString();
    auto count = q.getColumn(2).getInt64();
    row.by_type[type] += count;
    row.alarms += count;
    if (type == "missed_checkin") row.missed_checkins += count;
    row.last_at_ms = std::max(row.last_at_ms, q.getColumn(3).getInt64());
  }
  std::vector<welfare_row> out;
  out.reserve(rows.size());
  for (auto& [_, row] : rows) out.push_back(std::move(row));
  std::sort(out.begin(), out.end(),
            [](const welfare_row& a, const welfare_row& b) { return a.last_at_ms > b.last_at_ms; });
  return out;
}

}  // namespace lantern
