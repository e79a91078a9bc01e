#include "store/case_store.hpp"

#include "centre/record_json.hpp"
#include "escalation/escalation_json.hpp"

#include <boost/json/parse.hpp>

#include <cstdlib>
#include <unordered_map>

namespace lantern {
namespace {

constexpr const char* case_columns = R"(id, person_id, alarm_type, priority, state, opened_at_ms,
    last_alarm_at_ms, alarm_count, cancelled_at_unit, device_id, detail, first_event_id, last_event_id,
    owner, answered_at_ms, owned_since_ms, escalated_at_ms, resolved_at_ms, outcome, language,
    language_first_until_ms, attention, escalation, plan_version)";

// The person's record and plan at `version`, as kept when it was saved.
std::shared_ptr<const person> plan_at(SQLite::Database& db, const std::string& person_id, int version) {
  SQLite::Statement q(db, "SELECT record FROM plan_versions WHERE person_id = ? AND version = ?");
  q.bind(1, person_id);
  q.bind(2, version);
  if (!q.executeStep()) return nullptr;
  auto p = person_from_json(q.getColumn(0).getString());
  if (!p) return nullptr;
  p->version = version;
  return std::make_shared<const person>(std::move(*p));
}

case_record read_case(SQLite::Statement& row, int& plan_version) {
  case_record c;
  c.case_id = row.getColumn(0).getInt64();
  c.person_id = row.getColumn(1).getString();
  c.type = parse_alarm_type(row.getColumn(2).getString()).value_or(alarm_type::pendant);
  c.level = parse_priority(row.getColumn(3).getString()).value_or(priority::high);
  c.state = parse_case_state(row.getColumn(4).getString()).value_or(case_state::queued);
  c.opened_at_ms = row.getColumn(5).getInt64();
  c.last_alarm_at_ms = row.getColumn(6).getInt64();
  c.alarm_count = static_cast<std::uint32_t>(row.getColumn(7).getInt64());
  c.cancelled_at_unit = row.getColumn(8).getInt() != 0;
  c.device_id = row.getColumn(9).getString();
  c.detail = row.getColumn(10).getString();
  c.first_event_id = row.getColumn(11).getInt64();
  c.last_event_id = row.getColumn(12).getInt64();
  c.owner = row.getColumn(13).getString();
  c.answered_at_ms = row.getColumn(14).getInt64();
  c.owned_since_ms = row.getColumn(15).getInt64();
  c.escalated_at_ms = row.getColumn(16).getInt64();
  c.resolved_at_ms = row.getColumn(17).getInt64();
  c.outcome = row.getColumn(18).getString();
  c.language = row.getColumn(19).getString();
  c.language_first_until_ms = row.getColumn(20).getInt64();
  c.attention = row.getColumn(21).getString();
  c.escalation = escalation_from_json(row.getColumn(22).getString());
  plan_version = row.getColumn(23).getInt();
  return c;
}

// id, person_id, alarm_type, outcome, opened_at_ms, answered_at_ms
past_case read_past_case(SQLite::Statement& row) {
  return {row.getColumn(0).getInt64(),
          row.getColumn(1).getString(),
          parse_alarm_type(row.getColumn(2).getString()).value_or(alarm_type::pendant),
          row.getColumn(3).getString(),
          row.getColumn(4).getInt64(),
          row.getColumn(5).getInt64()};
}

void load_cases(SQLite::Database& db, std::int64_t resolved_since_ms, desk_restore_point& out) {
  SQLite::Statement cases(db, std::string("SELECT ") + case_columns +
                                  " FROM cases WHERE state <> 'resolved' OR resolved_at_ms >= ? ORDER BY id");
  cases.bind(1, resolved_since_ms);
  std::unordered_map<std::int64_t, std::size_t> index;
  while (cases.executeStep()) {
    index[cases.getColumn(0).getInt64()] = out.cases.size();
    int plan_version = 0;
    auto c = read_case(cases, plan_version);
    if (plan_version > 0) c.plan_at_open = plan_at(db, c.person_id, plan_version);
    out.cases.push_back(std::move(c));
  }
  SQLite::Statement timeline(db, R"(SELECT t.case_id, t.at_ms, t.kind, t.actor, t.text FROM case_timeline t
      JOIN cases c ON c.id = t.case_id WHERE c.state <> 'resolved' OR c.resolved_at_ms >= ?
      ORDER BY t.case_id, t.position)");
  timeline.bind(1, resolved_since_ms);
  while (timeline.executeStep()) {
    auto it = index.find(timeline.getColumn(0).getInt64());
    if (it == index.end()) continue;
    auto& c = out.cases[it->second];
    c.timeline.push_back({timeline.getColumn(1).getInt64(), timeline.getColumn(2).getString(),
                          timeline.getColumn(3).getString(), timeline.getColumn(4).getString()});
  }
  // A last "N repeats" line goes on counting from N.
  for (auto& c : out.cases)
    if (!c.timeline.empty() && c.timeline.back().kind == "repeat")
      c.repeats_in_a_row = static_cast<std::uint32_t>(std::strtoul(c.timeline.back().text.c_str(), nullptr, 10));
}

void load_past_cases(SQLite::Database& db, std::int64_t opened_since_ms, std::size_t history_length,
                     desk_restore_point& out) {
  SQLite::Statement history(db, R"(SELECT id, person_id, alarm_type, outcome, opened_at_ms, answered_at_ms FROM
      (SELECT *, row_number() OVER (PARTITION BY person_id ORDER BY resolved_at_ms DESC, id DESC) AS n
       FROM cases WHERE state = 'resolved') WHERE n <= ? ORDER BY person_id, n)");
  history.bind(1, static_cast<std::int64_t>(history_length));
  while (history.executeStep()) out.history.push_back(read_past_case(history));
  // For the answer rates: a case opened by hand (its first event has an operator as actor)
  // was never waiting for an answer; it is counted apart.
  SQLite::Statement lately(db, R"(SELECT id, person_id, alarm_type, outcome, opened_at_ms, answered_at_ms,
      EXISTS (SELECT 1 FROM events e WHERE e.id = cases.first_event_id AND e.kind = 'alarm' AND e.actor IS NOT NULL)
      FROM cases WHERE opened_at_ms >= ? ORDER BY id)");
  lately.bind(1, opened_since_ms);
  while (lately.executeStep()) {
    out.opened_lately.push_back(read_past_case(lately));
    out.opened_lately.back().opened_by_hand = lately.getColumn(6).getInt() != 0;
  }
}

// A person's changes stored after `after_id`, oldest first: (event id, the version before).
std::unordered_map<std::string, std::vector<std::pair<std::int64_t, int>>> person_changes_after(SQLite::Database& db,
                                                                                                std::int64_t after_id) {
  std::unordered_map<std::string, std::vector<std::pair<std::int64_t, int>>> out;
  SQLite::Statement q(db, R"(SELECT id, person_id, payload FROM events
      WHERE id > ? AND kind = 'record_change' AND record_id LIKE 'person:%' ORDER BY id)");
  q.bind(1, after_id);
  while (q.executeStep()) {
    boost::system::error_code ec;
    auto payload = boost::json::parse(q.getColumn(2).getString(), ec);
    if (ec || !payload.is_object()) continue;
    const auto* before = payload.as_object().if_contains("before");
    if (before == nullptr || !before->is_object()) continue;  // created: no alarm came before
    const auto* version = before->as_object().if_contains("version");
    if (version == nullptr || !version->is_int64()) continue;
    out[q.getColumn(1).getString()].emplace_back(q.getColumn(0).getInt64(), int(version->as_int64()));
  }
  return out;
}

void load_unapplied_events(SQLite::Database& db, desk_restore_point& out) {
  std::int64_t applied = db.execAndGet("SELECT applied_event_id FROM desk_state").getInt64();
  for_each_desk_event(db, applied, [&out](desk_event e) { out.unapplied.push_back(std::move(e)); });
  if (out.unapplied.empty()) return;
  // The records are read as they are now; an alarm replayed finds its person's plan as it
  // was then: the version before the person's first change stored after the alarm.
  auto changes = person_changes_after(db, applied);
  for (const auto& e : out.unapplied) {
    const auto* alarm = std::get_if<alarm_event>(&e);
    if (alarm == nullptr) continue;
    auto person = changes.find(alarm->person_id);
    if (person == changes.end()) continue;
    for (const auto& [change_id, version_before] : person->second) {
      if (change_id < alarm->event_id) continue;
      if (auto then = plan_at(db, alarm->person_id, version_before)) out.plans_then[alarm->event_id] = then;
      break;
    }
  }
}

}  // namespace

void for_each_desk_event(SQLite::Database& db, std::int64_t after_id, const std::function<void(desk_event)>& each) {
  SQLite::Statement events(db, R"(SELECT id, kind, device_id, device_seq, person_id, alarm_type,
      occurred_at_ms, recorded_at_ms, detail, actor, payload, device_epoch, seq_reuse FROM events
      WHERE id > ? AND kind IN ('alarm', 'case_action') ORDER BY id)");
  events.bind(1, after_id);
  while (events.executeStep()) {
    std::int64_t id = events.getColumn(0).getInt64();
    if (events.getColumn(1).getString() == "case_action") {
      auto command = parse_payload(events.getColumn(10).getString());
      if (!command) continue;
      each(case_action{id, events.getColumn(7).getInt64(), events.getColumn(9).getString(), std::move(*command), 0});
      continue;
    }
    auto type = parse_alarm_type(events.getColumn(5).getString());
    if (!type) continue;
    each(alarm_event{id, events.getColumn(2).getString(), static_cast<std::uint64_t>(events.getColumn(3).getInt64()),
                     static_cast<std::uint64_t>(events.getColumn(11).getInt64()), events.getColumn(4).getString(),
                     *type, events.getColumn(6).getInt64(), events.getColumn(7).getInt64(),
                     events.getColumn(8).getString(), events.getColumn(12).getInt() > 0, std::string(),
                     events.getColumn(9).getString()});
  }
}

desk_restore_point load_desk_restore_point(SQLite::Database& db, std::int64_t resolved_since_ms,
                                           std::int64_t opened_since_ms, std::size_t history_length) {
  desk_restore_point out;
  load_cases(db, resolved_since_ms, out);
  load_past_cases(db, opened_since_ms, history_length, out);
  out.next_case_id = db.execAndGet("SELECT coalesce(max(id), 0) + 1 FROM cases").getInt64();
  load_unapplied_events(db, out);
  return out;
}

case_writer::case_writer(SQLite::Database& db)
    : upsert_(db, std::string("INSERT INTO cases (") + case_columns + R"() VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,
        ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)
        ON CONFLICT (id) DO UPDATE SET priority = ?4, state = ?5, last_alarm_at_ms = ?7,
          alarm_count = ?8, cancelled_at_unit = ?9, last_event_id = ?13, owner = ?14, answered_at_ms = ?15,
          owned_since_ms = ?16, escalated_at_ms = ?17, resolved_at_ms = ?18, outcome = ?19, attention = ?22,
          escalation = ?23)"),
      saved_lines_(db, "SELECT coalesce(max(position) + 1, 0) FROM case_timeline WHERE case_id = ?"),
      // Timelines grow at the end; only their last line changes (repeats in a row).
      timeline_(db, R"(INSERT OR REPLACE INTO case_timeline (case_id, position, at_ms, kind, actor, text)
          VALUES (?, ?, ?, ?, ?, ?))"),
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
  upsert_.bind(14, c.owner);
  upsert_.bind(15, c.answered_at_ms);
  upsert_.bind(16, c.owned_since_ms);
  upsert_.bind(17, c.escalated_at_ms);
  upsert_.bind(18, c.resolved_at_ms);
  upsert_.bind(19, c.outcome);
  upsert_.bind(20, c.language);
  upsert_.bind(21, c.language_first_until_ms);
  upsert_.bind(22, c.attention);
  upsert_.bind(23, escalation_to_json(c.escalation));
  upsert_.bind(24, c.plan_at_open ? c.plan_at_open->version : 0);
  upsert_.exec();
  upsert_.reset();
  // Only what is new since the last save, and the last saved line (a run of repeats
  // rewrites it): a long timeline is not written again on every change.
  saved_lines_.bind(1, c.case_id);
  saved_lines_.executeStep();
  auto saved = static_cast<std::size_t>(saved_lines_.getColumn(0).getInt64());
  saved_lines_.reset();
  for (std::size_t i = saved > 0 ? saved - 1 : 0; i < c.timeline.size(); ++i) {
    const auto& entry = c.timeline[i];
    timeline_.bind(1, c.case_id);
    timeline_.bind(2, static_cast<std::int64_t>(i));
    timeline_.bind(3, entry.at_ms);
    timeline_.bind(4, entry.kind);
    timeline_.bind(5, entry.actor);
    timeline_.bind(6, entry.text);
    timeline_.exec();
    timeline_.reset();
  }
}

void case_writer::set_applied_event(std::int64_t event_id) {
  applied_.bind(1, event_id);
  applied_.exec();
  applied_.reset();
}

}  // namespace lantern
