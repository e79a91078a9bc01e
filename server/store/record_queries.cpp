#include "store/record_queries.hpp"

#include "centre/record_json.hpp"
#include "store/centre_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <boost/json.hpp>

#include <algorithm>

namespace lantern {
namespace {

struct table_info {
  const char* table;
  const char* key;
  const char* name;
};

table_info table_of(record_kind kind) {
  switch (kind) {
    case record_kind::person:
      return {"persons", "id", "name"};
    case record_kind::carer:
      return {"carers", "id", "name"};
    case record_kind::device:
      return {"devices", "id", "person_id"};  // searched and ordered by whose they are
    default:
      return {"operators", "username", "display_name"};
  }
}

boost::json::array outcome_counts(SQLite::Database& db, const std::string& person_id, std::int64_t since_ms) {
  SQLite::Statement q(db, R"(SELECT alarm_type, CASE WHEN state = 'resolved' THEN outcome ELSE 'open' END AS o,
      count(*) FROM cases WHERE person_id = ? AND opened_at_ms >= ? GROUP BY alarm_type, o ORDER BY alarm_type, o)");
  q.bind(1, person_id);
  q.bind(2, since_ms);
  boost::json::array out;
  while (q.executeStep())
    out.push_back(boost::json::object{{"alarm_type", q.getColumn(0).getString()},
                                      {"outcome", q.getColumn(1).getString()},
                                      {"count", q.getColumn(2).getInt64()}});
  return out;
}

void add_extras(SQLite::Database& db, record_kind kind, const stored_record& stored, boost::json::object& out,
                std::int64_t outcomes_since_ms) {
  if (kind == record_kind::person) {
    const auto& p = std::get<person>(stored.record);
    out["last_review"] = boost::json::object{
        {"at_ms", p.plan.last_review.at_ms}, {"by", p.plan.last_review.by}, {"note", p.plan.last_review.note}};
    out["outcomes"] =
        boost::json::object{{"since_ms", outcomes_since_ms}, {"counts", outcome_counts(db, p.id, outcomes_since_ms)}};
  } else if (kind == record_kind::device) {
    SQLite::Statement q(db, "SELECT last_seen_ms FROM device_last_seen WHERE device_id = ?");
    q.bind(1, std::get<device_record>(stored.record).id);
    out["last_seen_ms"] = q.executeStep() ? q.getColumn(0).getInt64() : 0;
    // A seq used again for a different alarm means the unit's counter went back.
    SQLite::Statement reused(db, R"(SELECT count(*), coalesce(max(recorded_at_ms), 0) FROM events
        WHERE device_id = ? AND kind = 'alarm' AND seq_reuse > 0)");
    reused.bind(1, std::get<device_record>(stored.record).id);
    reused.executeStep();
    out["seq_reused"] =
        boost::json::object{{"count", reused.getColumn(0).getInt64()}, {"last_at_ms", reused.getColumn(1).getInt64()}};
  }
}

}  // namespace

boost::json::object list_records(SQLite::Database& db, record_kind kind, const record_query& query) {
  auto info = table_of(kind);
  std::string where = " WHERE (?1 = '' OR instr(lower(" + std::string(info.key) + "), lower(?1)) > 0 OR instr(lower(" +
                      info.name + "), lower(?1)) > 0) AND (active OR NOT ?2)";
  if (query.review_overdue && kind == record_kind::person) where += " AND review_due < ?3";
  auto bind = [&](SQLite::Statement& q) {
    q.bind(1, query.search);
    q.bind(2, query.active_only);
    if (query.review_overdue && kind == record_kind::person) q.bind(3, query.today);
  };
  SQLite::Statement count(db, std::string("SELECT count(*) FROM ") + info.table + where);
  bind(count);
  count.executeStep();
  auto total = count.getColumn(0).getInt64();

  SQLite::Statement ids(db, std::string("SELECT ") + info.key + " FROM " + info.table + where + " ORDER BY " +
                                info.name + ", " + info.key + " LIMIT ?4 OFFSET ?5");
  bind(ids);
  ids.bind(4, query.per_page);
  ids.bind(5, static_cast<std::int64_t>(query.page - 1) * query.per_page);
  boost::json::array items;
  while (ids.executeStep()) {
    if (auto stored = load_record(db, kind, ids.getColumn(0).getString())) {
      auto item = to_json(*stored);
      if (kind == record_kind::device) add_extras(db, kind, *stored, item, 0);
      items.push_back(std::move(item));
    }
  }
  return {{"items", std::move(items)}, {"total", total}, {"page", query.page}, {"per_page", query.per_page}};
}

std::optional<boost::json::object> read_record(SQLite::Database& db, record_kind kind, const std::string& id,
                                               std::int64_t outcomes_since_ms) {
  auto stored = load_record(db, kind, id);
  if (!stored) return std::nullopt;
  auto out = to_json(*stored);
  add_extras(db, kind, *stored, out, outcomes_since_ms);
  return out;
}

std::optional<boost::json::object> subject_access_record(SQLite::Database& db, const std::string& person_id) {
  auto stored = load_record(db, record_kind::person, person_id);
  if (!stored) return std::nullopt;
  boost::json::object out{{"format", "lantern.subject-access.v1"}, {"person", to_json(*stored)}};
  const auto& p = std::get<person>(stored->record);
  out["last_review"] = boost::json::object{
      {"at_ms", p.plan.last_review.at_ms}, {"by", p.plan.last_review.by}, {"note", p.plan.last_review.note}};

  boost::json::array versions;
  SQLite::Statement v(db,
                      "SELECT version, recorded_at_ms, record FROM plan_versions WHERE person_id = ? ORDER BY version");
  v.bind(1, person_id);
  while (v.executeStep())
    versions.push_back(boost::json::object{{"version", v.getColumn(0).getInt()},
                                           {"recorded_at_ms", v.getColumn(1).getInt64()},
                                           {"record", boost::json::parse(v.getColumn(2).getString())}});
  out["plan_versions"] = std::move(versions);

  boost::json::array devices;
  SQLite::Statement d(db, "SELECT id FROM devices WHERE person_id = ? ORDER BY id");
  d.bind(1, person_id);
  while (d.executeStep())
    if (auto device = read_record(db, record_kind::device, d.getColumn(0).getString(), 0))
      devices.push_back(std::move(*device));
  out["devices"] = std::move(devices);

  boost::json::array cases;
  SQLite::Statement c(db, R"(SELECT id, alarm_type, priority, state, opened_at_ms, resolved_at_ms, outcome, owner,
      device_id, detail, alarm_count FROM cases WHERE person_id = ? ORDER BY id)");
  c.bind(1, person_id);
  SQLite::Statement t(db, "SELECT at_ms, kind, actor, text FROM case_timeline WHERE case_id = ? ORDER BY position");
  while (c.executeStep()) {
    boost::json::array timeline;
    t.bind(1, c.getColumn(0).getInt64());
    while (t.executeStep())
      timeline.push_back(boost::json::object{{"at_ms", t.getColumn(0).getInt64()},
                                             {"kind", t.getColumn(1).getString()},
                                             {"actor", t.getColumn(2).getString()},
                                             {"text", t.getColumn(3).getString()}});
    t.reset();
    cases.push_back(boost::json::object{{"case_id", c.getColumn(0).getInt64()},
                                        {"alarm_type", c.getColumn(1).getString()},
                                        {"priority", c.getColumn(2).getString()},
                                        {"state", c.getColumn(3).getString()},
                                        {"opened_at_ms", c.getColumn(4).getInt64()},
                                        {"resolved_at_ms", c.getColumn(5).getInt64()},
                                        {"outcome", c.getColumn(6).getString()},
                                        {"owner", c.getColumn(7).getString()},
                                        {"device_id", c.getColumn(8).getString()},
                                        {"detail", c.getColumn(9).getString()},
                                        {"alarm_count", c.getColumn(10).getInt64()},
                                        {"timeline", std::move(timeline)}});
  }
  out["cases"] = std::move(cases);

  boost::json::array changes;
  SQLite::Statement e(db, R"(SELECT recorded_at_ms, actor, payload FROM events
      WHERE kind = 'record_change' AND person_id = ? ORDER BY id)");
  e.bind(1, person_id);
  while (e.executeStep())
    changes.push_back(boost::json::object{{"at_ms", e.getColumn(0).getInt64()},
                                          {"actor", e.getColumn(1).getString()},
                                          {"change", boost::json::parse(e.getColumn(2).getString())}});
  out["record_changes"] = std::move(changes);

  // Who read their access details, opened their card without a case, or exported all this
  // (this export included): theirs to know.
  boost::json::array reads;
  SQLite::Statement r(db, R"(SELECT recorded_at_ms, actor, kind FROM events
      WHERE kind IN ('access_read', 'person_read', 'subject_access_export') AND person_id = ? ORDER BY id)");
  r.bind(1, person_id);
  while (r.executeStep())
    reads.push_back(boost::json::object{{"at_ms", r.getColumn(0).getInt64()},
                                        {"actor", r.getColumn(1).getString()},
                                        {"kind", r.getColumn(2).getString()}});
  out["reads"] = std::move(reads);

  // The responders by name, in calling order, as the printed record names them.
  boost::json::array responders;
  SQLite::Statement carer(db, "SELECT name, relationship FROM carers WHERE id = ?");
  for (const auto& id : p.plan.responders) {
    carer.bind(1, id);
    if (carer.executeStep())
      responders.push_back(boost::json::object{
          {"id", id}, {"name", carer.getColumn(0).getString()}, {"relationship", carer.getColumn(1).getString()}});
    carer.reset();
  }
  out["responders"] = std::move(responders);
  return out;
}

}  // namespace lantern
