#include "store/case_store.hpp"

namespace lantern {

desk_restore_point load_desk_restore_point(SQLite::Database& db) {
  desk_restore_point out;
  SQLite::Statement open(db, R"(SELECT id, person_id, alarm_type, priority, state, opened_at_ms,
      last_alarm_at_ms, alarm_count, cancelled_at_unit, device_id, detail, first_event_id,
      last_event_id FROM cases WHERE state <> 'resolved' ORDER BY id)");
  while (open.executeStep()) {
    case_record c;
    c.case_id = open.getColumn(0).getInt64();
    c.person_id = open.getColumn(1).getString();
    c.type = parse_alarm_type(open.getColumn(2).getString()).value_or(alarm_type::pendant);
    c.level = parse_priority(open.getColumn(3).getString()).value_or(priority::high);
    c.state = parse_case_state(open.getColumn(4).getString()).value_or(case_state::queued);
    c.opened_at_ms = open.getColumn(5).getInt64();
    c.last_alarm_at_ms = open.getColumn(6).getInt64();
    c.alarm_count = static_cast<std::uint32_t>(open.getColumn(7).getInt64());
    c.cancelled_at_unit = open.getColumn(8).getInt() != 0;
    c.device_id = open.getColumn(9).getString();
    c.detail = open.getColumn(10).getString();
    c.first_event_id = open.getColumn(11).getInt64();
    c.last_event_id = open.getColumn(12).getInt64();
    out.open_cases.push_back(std::move(c));
  }
  out.next_case_id = db.execAndGet("SELECT coalesce(max(id), 0) + 1 FROM cases").getInt64();
  std::int64_t applied = db.execAndGet("SELECT applied_event_id FROM desk_state").getInt64();
  SQLite::Statement events(db, R"(SELECT id, device_id, device_seq, person_id, alarm_type,
      occurred_at_ms, recorded_at_ms, detail FROM events
      WHERE id > ? AND kind = 'alarm' ORDER BY id)");
  events.bind(1, applied);
  while (events.executeStep()) {
    auto type = parse_alarm_type(events.getColumn(4).getString());
    if (!type) continue;
    out.unapplied_alarms.push_back(alarm_event{events.getColumn(0).getInt64(), events.getColumn(1).getString(),
                                               static_cast<std::uint64_t>(events.getColumn(2).getInt64()),
                                               events.getColumn(3).getString(), *type, events.getColumn(5).getInt64(),
                                               events.getColumn(6).getInt64(), events.getColumn(7).getString()});
  }
  return out;
}

case_writer::case_writer(SQLite::Database& db)
    : upsert_(db, R"(INSERT INTO cases (id, person_id, alarm_type, priority, state, opened_at_ms,
        last_alarm_at_ms, alarm_count, cancelled_at_unit, device_id, detail, first_event_id, last_event_id)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
        ON CONFLICT (id) DO UPDATE SET priority = ?4, state = ?5, last_alarm_at_ms = ?7,
          alarm_count = ?8, cancelled_at_unit = ?9, last_event_id = ?13)"),
      applied_(db, "UPDATE desk_state SET applied_event_id = max(applied_event_id, ?)") {}

void case_writer::write(const case_record& c) {
  upsert_.bind(1, c.case_id);
  upsert_.bind(2, c.person_id);
  upsert_.bind(3, std::string(to_string(c.type)));
  upsert_.bind(4, std::string(to_string(c.level)));
  upsert_.bind(5, std::string(to_string(c.state)));
  upsert_.bind(6, c.opened_at_ms);
  upsert_.bind(7, c.last_alarm_at_ms);
  upsert_.bind(8, static_cast<std::int64_t>(c.alarm_count));
  upsert_.bind(9, c.cancelled_at_unit ? 1 : 0);
  upsert_.bind(10, c.device_id);
  upsert_.bind(11, c.detail);
  upsert_.bind(12, c.first_event_id);
  upsert_.bind(13, c.last_event_id);
  upsert_.exec();
  upsert_.reset();
}

void case_writer::set_applied_event(std::int64_t event_id) {
  applied_.bind(1, event_id);
  applied_.exec();
  applied_.reset();
}

}  // namespace lantern
