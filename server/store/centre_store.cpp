#include "store/centre_store.hpp"

#include "centre/calendar.hpp"
#include "centre/record_json.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <boost/json.hpp>

#include <array>

namespace lantern {
namespace {

std::string to_json(const std::vector<std::string>& list) {
  return boost::json::serialize(boost::json::value_from(list));
}

std::vector<std::string> strings_from_json(const std::string& text) {
  return boost::json::value_to<std::vector<std::string>>(boost::json::parse(text));
}

std::string availability_to_json(const std::vector<availability_window>& windows) {
  boost::json::array out;
  for (const auto& w : windows) {
    boost::json::object window;
    window["days"] = boost::json::value_from(w.days);
    window["from"] = w.from;
    window["to"] = w.to;
    out.emplace_back(std::move(window));
  }
  return boost::json::serialize(out);
}

std::vector<availability_window> availability_from_json(const std::string& text) {
  std::vector<availability_window> out;
  auto parsed = boost::json::parse(text);
  for (const auto& v : parsed.as_array()) {
    const auto& o = v.as_object();
    out.push_back({boost::json::value_to<std::vector<std::string>>(o.at("days")), std::string(o.at("from").as_string()),
                   std::string(o.at("to").as_string())});
  }
  return out;
}

// The person's text columns, in the order the SQL below names them.
template <typename Person>
auto person_text_fields(Person& p) {
  return std::array{&p.id,
                    &p.name,
                    &p.date_of_birth,
                    &p.address,
                    &p.phone,
                    &p.preferred_language,
                    &p.communication,
                    &p.what_matters,
                    &p.medical_notes,
                    &p.medications,
                    &p.allergies,
                    &p.access,
                    &p.gp,
                    &p.plan.coordinator,
                    &p.plan.review_due};
}

void save_operator(SQLite::Database& db, const operator_account& a) {
  SQLite::Statement q(db, R"(INSERT INTO operators (username, display_name, role, languages, password_hash,
      auto_presence)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6)
    ON CONFLICT (username) DO UPDATE SET display_name = ?2, role = ?3, languages = ?4,
      password_hash = ?5, auto_presence = ?6, active = 1, version = version + 1)");
  q.bind(1, a.username);
  q.bind(2, a.display_name);
  q.bind(3, std::string(to_string(a.role)));
  q.bind(4, to_json(a.languages));
  q.bind(5, a.password_hash);
  q.bind(6, a.auto_presence ? 1 : 0);
  q.exec();
}

void save_carer(SQLite::Database& db, const carer& c) {
  SQLite::Statement q(db,
                      R"(INSERT INTO carers (id, name, relationship, phone, email, languages, time_zone, availability)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
    ON CONFLICT (id) DO UPDATE SET name = ?2, relationship = ?3, phone = ?4, email = ?5,
      languages = ?6, time_zone = ?7, availability = ?8, active = 1, version = version + 1)");
  q.bind(1, c.id);
  q.bind(2, c.name);
  q.bind(3, c.relationship);
  q.bind(4, c.phone);
  q.bind(5, c.email);
  q.bind(6, to_json(c.languages));
  q.bind(7, c.time_zone);
  q.bind(8, availability_to_json(c.availability));
  q.exec();
}

void save_person(SQLite::Database& db, const person& p) {
  SQLite::Statement q(db, R"(INSERT INTO persons (id, name, date_of_birth, address, phone,
      preferred_language, communication, what_matters, medical_notes, medications, allergies,
      access, gp, coordinator, review_due, ack_timeout_s, passes, hazards)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
    ON CONFLICT (id) DO UPDATE SET name = ?2, date_of_birth = ?3, address = ?4, phone = ?5,
      preferred_language = ?6, communication = ?7, what_matters = ?8, medical_notes = ?9,
      medications = ?10, allergies = ?11, access = ?12, gp = ?13, coordinator = ?14,
      review_due = ?15, ack_timeout_s = ?16, passes = ?17, hazards = ?18, active = 1,
      version = version + 1)");
  int i = 1;
  for (const std::string* field : person_text_fields(p)) q.bind(i++, *field);
  q.bind(i++, p.plan.escalation.ack_timeout_s);
  q.bind(i++, p.plan.escalation.passes);
  q.bind(i++, to_json(p.plan.hazards));
  q.exec();

  // The plan's lists are replaced whole: their order is the plan.
  SQLite::Statement clear_responders(db, "DELETE FROM plan_responders WHERE person_id = ?");
  clear_responders.bind(1, p.id);
  clear_responders.exec();
  SQLite::Statement add_responder(db, "INSERT INTO plan_responders (person_id, position, carer_id) VALUES (?, ?, ?)");
  for (std::size_t n = 0; n < p.plan.responders.size(); ++n) {
    add_responder.bind(1, p.id);
    add_responder.bind(2, static_cast<int>(n));
    add_responder.bind(3, p.plan.responders[n]);
    add_responder.exec();
    add_responder.reset();
  }
  SQLite::Statement clear_rules(db, "DELETE FROM plan_rules WHERE person_id = ?");
  clear_rules.bind(1, p.id);
  clear_rules.exec();
  SQLite::Statement add_rule(db,
                             "INSERT INTO plan_rules (person_id, alarm_type, priority, instructions, escalate_after_s, "
                             "carer_instructions) VALUES (?, ?, ?, ?, ?, ?)");
  for (const auto& rule : p.plan.rules) {
    add_rule.bind(1, p.id);
    add_rule.bind(2, std::string(to_string(rule.type)));
    if (rule.priority_override)
      add_rule.bind(3, std::string(to_string(*rule.priority_override)));
    else
      add_rule.bind(3);
    add_rule.bind(4, rule.instructions);
    if (rule.escalate_after_s)
      add_rule.bind(5, *rule.escalate_after_s);
    else
      add_rule.bind(5);
    add_rule.bind(6, rule.carer_instructions);
    add_rule.exec();
    add_rule.reset();
  }
  // This version of the record is kept: a case opened under it shows it after a restart.
  SQLite::Statement keep(db, R"(INSERT OR REPLACE INTO plan_versions (person_id, version, recorded_at_ms, record)
      SELECT id, version, ?1, ?2 FROM persons WHERE id = ?3)");
  keep.bind(1, now_ms());
  keep.bind(2, boost::json::serialize(to_json(p)));
  keep.bind(3, p.id);
  keep.exec();
}

void save_settings(SQLite::Database& db, const centre_settings& s) {
  SQLite::Statement q(db, R"(INSERT INTO centre_settings (id, version, record) VALUES (1, 1, ?1)
    ON CONFLICT (id) DO UPDATE SET record = ?1, version = version + 1)");
  q.bind(1, boost::json::serialize(to_json(s)));
  q.exec();
}

// The stored settings and their version; the defaults at version 0 when none were ever stored.
std::pair<centre_settings, int> load_settings(SQLite::Database& db) {
  SQLite::Statement q(db, "SELECT version, record FROM centre_settings WHERE id = 1");
  if (!q.executeStep()) return {centre_settings{}, 0};
  return {settings_from_json(q.getColumn(1).getString()).value_or(centre_settings{}), q.getColumn(0).getInt()};
}

void save_device(SQLite::Database& db, const device_record& d) {
  SQLite::Statement q(db, R"(INSERT INTO devices (id, person_id, kind, token_hash, heartbeat_interval_s,
      dc09_account, dc09_receiver, dc09_line, dc09_key, dc09_key_ascii, dc09_zones, location)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
    ON CONFLICT (id) DO UPDATE SET person_id = ?2, kind = ?3, token_hash = ?4,
      heartbeat_interval_s = ?5, dc09_account = ?6, dc09_receiver = ?7, dc09_line = ?8, dc09_key = ?9,
      dc09_key_ascii = ?10, dc09_zones = ?11, location = ?12, active = 1, version = version + 1)");
  q.bind(1, d.id);
  q.bind(2, d.person_id);
  q.bind(3, d.kind);
  q.bind(4, d.token_hash);
  q.bind(5, d.heartbeat_interval_s);
  dc09_unit none;
  const auto& unit = d.dc09 ? *d.dc09 : none;
  if (d.dc09)
    q.bind(6, unit.account);
  else
    q.bind(6);
  q.bind(7, unit.receiver);
  q.bind(8, unit.line);
  q.bind(9, unit.key);
  q.bind(10, unit.key_ascii ? 1 : 0);
  q.bind(11, boost::json::serialize(zones_json(unit.zones)));
  q.bind(12, d.location);
  q.exec();
}

}  // namespace

void save_record(SQLite::Database& db, const any_record& record) {
  std::visit(
      [&db](const auto& r) {
        using type = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<type, person>)
          save_person(db, r);
        else if constexpr (std::is_same_v<type, carer>)
          save_carer(db, r);
        else if constexpr (std::is_same_v<type, device_record>)
          save_device(db, r);
        else if constexpr (std::is_same_v<type, centre_settings>)
          save_settings(db, r);
        else
          save_operator(db, r);
      },
      record);
}

void save_centre(SQLite::Database& db, const centre& records, const std::string& actor) {
  SQLite::Transaction transaction(db);
  for (const auto& [_, a] : records.operators) save_operator(db, a);
  for (const auto& [_, c] : records.carers) save_carer(db, c);
  for (const auto& [_, p] : records.persons) save_person(db, p);
  for (const auto& [_, d] : records.devices) save_device(db, *d);
  if (records.settings_given) save_settings(db, records.settings);
  SQLite::Statement audit(
      db, "INSERT INTO events (recorded_at_ms, kind, actor, payload) VALUES (?, 'centre_import', ?, ?)");
  audit.bind(1, now_ms());
  audit.bind(2, actor);
  audit.bind(3, boost::json::serialize(boost::json::object{{"operators", records.operators.size()},
                                                           {"carers", records.carers.size()},
                                                           {"persons", records.persons.size()},
                                                           {"devices", records.devices.size()}}));
  audit.exec();
  transaction.commit();
}

namespace {

// Which rows a load reads: every active record, or one record by id, active or not.
struct row_filter {
  std::optional<std::string> id;
  // Appended to a query's WHERE: ?1 is the id (NULL: any), ?2 whether inactive rows count.
  static constexpr const char* sql = " WHERE (?1 IS NULL OR {key} = ?1) AND (active OR ?2)";
};

std::string filtered(std::string select, const char* key) {
  std::string where = row_filter::sql;
  where.replace(where.find("{key}"), 5, key);
  return select + where;
}

void bind(SQLite::Statement& q, const row_filter& filter) {
  if (filter.id)
    q.bind(1, *filter.id);
  else
    q.bind(1);
  q.bind(2, filter.id.has_value());
}

void load_operators(SQLite::Database& db, const row_filter& filter, centre& out, std::vector<int>& versions) {
  SQLite::Statement ops(db, filtered("SELECT username, display_name, role, languages, password_hash, version, active, "
                                     "auto_presence FROM operators",
                                     "username"));
  bind(ops, filter);
  while (ops.executeStep()) {
    operator_account a;
    a.username = ops.getColumn(0).getString();
    a.display_name = ops.getColumn(1).getString();
    a.role = parse_operator_role(ops.getColumn(2).getString()).value_or(operator_role::operator_);
    a.languages = strings_from_json(ops.getColumn(3).getString());
    a.password_hash = ops.getColumn(4).getString();
    versions = {ops.getColumn(5).getInt(), ops.getColumn(6).getInt()};
    a.auto_presence = ops.getColumn(7).getInt() != 0;
    out.operators[a.username] = std::move(a);
  }
}

void load_carers(SQLite::Database& db, const row_filter& filter, centre& out, std::vector<int>& versions) {
  SQLite::Statement carers(db, filtered("SELECT id, name, relationship, phone, email, languages, time_zone, "
                                        "availability, version, active FROM carers",
                                        "id"));
  bind(carers, filter);
  while (carers.executeStep()) {
    carer c;
    c.id = carers.getColumn(0).getString();
    c.name = carers.getColumn(1).getString();
    c.relationship = carers.getColumn(2).getString();
    c.phone = carers.getColumn(3).getString();
    c.email = carers.getColumn(4).getString();
    c.languages = strings_from_json(carers.getColumn(5).getString());
    c.time_zone = carers.getColumn(6).getString();
    c.availability = availability_from_json(carers.getColumn(7).getString());
    versions = {carers.getColumn(8).getInt(), carers.getColumn(9).getInt()};
    out.carers[c.id] = std::move(c);
  }
}

void load_persons(SQLite::Database& db, const row_filter& filter, centre& out, std::vector<int>& versions) {
  SQLite::Statement persons(db, filtered(R"(SELECT id, name, date_of_birth, address, phone, preferred_language,
      communication, what_matters, medical_notes, medications, allergies, access, gp,
      coordinator, review_due, ack_timeout_s, passes, version, reviewed_at_ms, reviewed_by, review_note, active,
      hazards FROM persons)",
                                         "id"));
  bind(persons, filter);
  while (persons.executeStep()) {
    person p;
    int i = 0;
    for (std::string* field : person_text_fields(p)) *field = persons.getColumn(i++).getString();
    p.plan.escalation.ack_timeout_s = persons.getColumn(i++).getInt();
    p.plan.escalation.passes = persons.getColumn(i++).getInt();
    p.version = persons.getColumn(i++).getInt();
    p.plan.last_review.at_ms = persons.getColumn(i++).getInt64();
    p.plan.last_review.by = persons.getColumn(i++).getString();
    p.plan.last_review.note = persons.getColumn(i++).getString();
    versions = {p.version, persons.getColumn(i++).getInt()};
    p.plan.hazards = strings_from_json(persons.getColumn(i).getString());
    out.persons[p.id] = std::move(p);
  }
  SQLite::Statement responders(db,
                               "SELECT person_id, carer_id FROM plan_responders WHERE (?1 IS NULL OR person_id = ?1) "
                               "ORDER BY person_id, position");
  if (filter.id) responders.bind(1, *filter.id);
  while (responders.executeStep())
    if (auto it = out.persons.find(responders.getColumn(0).getString()); it != out.persons.end())
      it->second.plan.responders.push_back(responders.getColumn(1).getString());
  SQLite::Statement rules(db,
                          "SELECT person_id, alarm_type, priority, instructions, escalate_after_s, carer_instructions "
                          "FROM plan_rules "
                          "WHERE (?1 IS NULL OR person_id = ?1) ORDER BY person_id, rowid");
  if (filter.id) rules.bind(1, *filter.id);
  while (rules.executeStep()) {
    auto it = out.persons.find(rules.getColumn(0).getString());
    auto type = parse_alarm_type(rules.getColumn(1).getString());
    if (it == out.persons.end() || !type) continue;
    plan_rule rule{*type, std::nullopt, rules.getColumn(3).getString(), std::nullopt, rules.getColumn(5).getString()};
    if (!rules.getColumn(4).isNull()) rule.escalate_after_s = rules.getColumn(4).getInt();
    if (!rules.getColumn(2).isNull()) rule.priority_override = parse_priority(rules.getColumn(2).getString());
    it->second.plan.rules.push_back(std::move(rule));
  }
}

void load_devices(SQLite::Database& db, const row_filter& filter, centre& out, std::vector<int>& versions) {
  SQLite::Statement devices(
      db, filtered("SELECT id, person_id, kind, token_hash, heartbeat_interval_s, version, active, dc09_account, "
                   "dc09_receiver, dc09_line, dc09_key, dc09_key_ascii, dc09_zones, location FROM devices",
                   "id"));
  bind(devices, filter);
  while (devices.executeStep()) {
    device_record d{devices.getColumn(0).getString(), devices.getColumn(1).getString(),
                    devices.getColumn(2).getString(), devices.getColumn(3).getString(), devices.getColumn(4).getInt()};
    versions = {devices.getColumn(5).getInt(), devices.getColumn(6).getInt()};
    if (!devices.getColumn(7).isNull())
      d.dc09 = dc09_unit{devices.getColumn(7).getString(),    devices.getColumn(8).getString(),
                         devices.getColumn(9).getString(),    devices.getColumn(10).getString(),
                         devices.getColumn(11).getInt() != 0, zones_from_json(devices.getColumn(12).getString())};
    d.location = devices.getColumn(13).getString();
    out.add_device(std::move(d));
  }
}

}  // namespace

std::vector<std::pair<std::string, std::int64_t>> load_last_seen(SQLite::Database& db) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  SQLite::Statement q(db, "SELECT device_id, last_seen_ms FROM device_last_seen");
  while (q.executeStep()) out.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getInt64());
  return out;
}

centre load_centre(SQLite::Database& db) {
  centre out;
  row_filter all;
  std::vector<int> unused;
  load_operators(db, all, out, unused);
  load_carers(db, all, out, unused);
  load_persons(db, all, out, unused);
  load_devices(db, all, out, unused);
  auto [settings, version] = load_settings(db);
  out.settings = std::move(settings);
  out.settings_given = version > 0;
  return out;
}

std::optional<stored_record> load_record(SQLite::Database& db, record_kind kind, const std::string& id) {
  centre one;
  row_filter filter{id};
  std::vector<int> version_active;  // the row's version and active flag
  switch (kind) {
    case record_kind::person:
      load_persons(db, filter, one, version_active);
      if (one.persons.empty()) return std::nullopt;
      return stored_record{std::move(one.persons.begin()->second), version_active[0], version_active[1] != 0};
    case record_kind::carer:
      load_carers(db, filter, one, version_active);
      if (one.carers.empty()) return std::nullopt;
      return stored_record{std::move(one.carers.begin()->second), version_active[0], version_active[1] != 0};
    case record_kind::device:
      load_devices(db, filter, one, version_active);
      if (one.devices.empty()) return std::nullopt;
      return stored_record{*one.devices.begin()->second, version_active[0], version_active[1] != 0};
    case record_kind::settings: {
      if (id != "centre") return std::nullopt;
      auto [settings, version] = load_settings(db);
      return stored_record{std::move(settings), version, true};
    }
    default:
      load_operators(db, filter, one, version_active);
      if (one.operators.empty()) return std::nullopt;
      return stored_record{std::move(one.operators.begin()->second), version_active[0], version_active[1] != 0};
  }
}

}  // namespace lantern
