#include "store/record_changes.hpp"

#include "centre/record_json.hpp"

#include <SQLiteCpp/Statement.h>
#include <boost/json.hpp>

namespace lantern {
namespace {

using status = change_result::status;

change_result refuse(status outcome, std::string message, std::optional<stored_record> current = std::nullopt) {
  return {outcome, std::move(message), std::move(current)};
}

// The ids that `sql` (with ?1 bound to `id`) returns, as "a, b, c".
std::string ids_of(SQLite::Database& db, const char* sql, const std::string& id) {
  SQLite::Statement q(db, sql);
  q.bind(1, id);
  std::string out;
  while (q.executeStep()) out += (out.empty() ? "" : ", ") + q.getColumn(0).getString();
  return out;
}

bool is_active(SQLite::Database& db, const char* table, const std::string& id) {
  SQLite::Statement q(db, std::string("SELECT 1 FROM ") + table + " WHERE id = ? AND active");
  q.bind(1, id);
  return q.executeStep();
}

// Why the record may not be stored as it is: references to records deactivated since the
// request was checked.
std::optional<std::string> broken_reference(SQLite::Database& db, const any_record& record) {
  if (const auto* p = std::get_if<person>(&record)) {
    for (const auto& carer_id : p->plan.responders)
      if (!is_active(db, "carers", carer_id))
        return "plan.responders: '" + carer_id + "' is not an active carer: choose another";
  } else if (const auto* d = std::get_if<device_record>(&record)) {
    if (!is_active(db, "persons", d->person_id))
      return "person_id: '" + d->person_id + "' is not an active person: choose another";
    if (d->dc09) {
      SQLite::Statement q(db, "SELECT id FROM devices WHERE dc09_account = ? AND active AND id <> ?");
      q.bind(1, d->dc09->account);
      q.bind(2, d->id);
      if (q.executeStep())
        return "account: '" + d->dc09->account + "' is already device " + q.getColumn(0).getString() + "'s account";
    }
  }
  return std::nullopt;
}

// Why deactivating (or demoting) the record would leave the centre worse off.
std::optional<std::string> deactivation_refusal(SQLite::Database& db, const record_change& change) {
  switch (change.kind) {
    case record_kind::carer:
      if (auto plans = ids_of(db,
                              "SELECT DISTINCT p.id FROM plan_responders r JOIN persons p ON p.id = r.person_id "
                              "WHERE r.carer_id = ?1 AND p.active ORDER BY p.id",
                              change.id);
          !plans.empty())
        return "is a responder in the plans of " + plans + ": take them off those plans first";
      break;
    case record_kind::person:
      if (auto devices = ids_of(db, "SELECT id FROM devices WHERE person_id = ?1 AND active ORDER BY id", change.id);
          !devices.empty())
        return "still has active devices (" + devices + "): deactivate or move them first";
      break;
    case record_kind::operator_account:
      if (change.id == change.actor) return "you cannot deactivate your own account";
      break;
    case record_kind::settings:
      return "the centre's settings are always in force: change them instead";
    default:
      break;
  }
  return std::nullopt;
}

bool leaves_no_admin(SQLite::Database& db, const record_change& change) {
  if (change.kind != record_kind::operator_account) return false;
  if (change.action == change_action::update && std::get<operator_account>(change.record).role == operator_role::admin)
    return false;
  SQLite::Statement q(db, "SELECT count(*) FROM operators WHERE role = 'admin' AND active AND username <> ?");
  q.bind(1, change.id);
  q.executeStep();
  return q.getColumn(0).getInt() == 0;
}

boost::json::value record_json(const std::optional<stored_record>& stored) {
  if (!stored) return nullptr;
  return to_json(*stored);
}

// A new secret replaces the stored one; none keeps it. Returns what the audit event says
// was replaced ("password_changed", "token_changed", "key_changed"), never the secret.
const char* keep_or_replace_secret(any_record& record, const std::optional<stored_record>& before) {
  if (auto* a = std::get_if<operator_account>(&record)) {
    if (!a->password_hash.empty()) return "password_changed";
    if (before) a->password_hash = std::get<operator_account>(before->record).password_hash;
    return nullptr;
  }
  auto* d = std::get_if<device_record>(&record);
  if (d == nullptr) return nullptr;
  const auto* old = before ? &std::get<device_record>(before->record) : nullptr;
  if (!d->dc09) {
    if (!d->token_hash.empty()) return "token_changed";
    if (old) d->token_hash = old->token_hash;
    return nullptr;
  }
  bool had_key = old && old->dc09 && !old->dc09->key.empty();
  if (d->dc09->key.empty()) {
    if (had_key) {
      d->dc09->key = old->dc09->key;
      d->dc09->key_ascii = old->dc09->key_ascii;
    }
    return nullptr;
  }
  bool same = had_key && old->dc09->key == d->dc09->key && old->dc09->key_ascii == d->dc09->key_ascii;
  return same ? nullptr : "key_changed";
}

void record_event(SQLite::Database& db, const record_change& change, const std::optional<stored_record>& before,
                  const std::optional<stored_record>& after, const char* secret_changed) {
  static constexpr const char* actions[] = {"create",      "update",      "deactivate",           "review",
                                            "access_read", "person_read", "subject_access_export"};
  boost::json::object payload{{"resource", to_string(change.kind)},
                              {"id", change.id},
                              {"action", actions[static_cast<int>(change.action)]},
                              {"version", after ? after->version : 0},
                              {"before", record_json(before)},
                              {"after", record_json(after)}};
  if (secret_changed) payload[secret_changed] = true;
  if (change.action == change_action::review) payload["note"] = change.review_note;
  std::string person_id;
  if (change.kind == record_kind::person) person_id = change.id;
  if (after && change.kind == record_kind::device) person_id = std::get<device_record>(after->record).person_id;
  SQLite::Statement q(db, R"(INSERT INTO events (recorded_at_ms, kind, actor, person_id, record_id, payload)
      VALUES (?, 'record_change', ?, ?, ?, ?))");
  q.bind(1, change.at_ms);
  q.bind(2, change.actor);
  if (person_id.empty())
    q.bind(3);
  else
    q.bind(3, person_id);
  q.bind(4, std::string(to_string(change.kind)) + ":" + change.id);
  q.bind(5, boost::json::serialize(payload));
  q.exec();
}

void save_review(SQLite::Database& db, const record_change& change) {
  SQLite::Statement q(db, R"(UPDATE persons SET reviewed_at_ms = ?1, reviewed_by = ?2, review_note = ?3,
      review_due = ?4 WHERE id = ?5)");
  q.bind(1, change.at_ms);
  q.bind(2, change.actor);
  q.bind(3, change.review_note);
  q.bind(4, change.next_review_due);
  q.bind(5, change.id);
  q.exec();
}

void deactivate(SQLite::Database& db, const record_change& change) {
  static constexpr const char* tables[] = {"persons", "carers", "devices", "operators"};
  auto key = change.kind == record_kind::operator_account ? "username" : "id";
  SQLite::Statement q(db, std::string("UPDATE ") + tables[static_cast<int>(change.kind)] +
                              " SET active = 0, version = version + 1 WHERE " + key + " = ?");
  q.bind(1, change.id);
  q.exec();
}

}  // namespace

namespace {

// Who read which person's access details (or card), and when: nothing else, not what they read.
change_result record_read(SQLite::Database& db, const record_change& change, std::optional<stored_record> current) {
  bool gone = !current || (change.action == change_action::person_read && !current->active);
  if (gone || change.kind != record_kind::person) return refuse(status::not_found, "no such person");
  SQLite::Statement q(db, R"(INSERT INTO events (recorded_at_ms, kind, actor, person_id, record_id, payload)
      VALUES (?, ?, ?, ?, ?, ?))");
  q.bind(1, change.at_ms);
  q.bind(2, change.action == change_action::access_read   ? "access_read"
            : change.action == change_action::person_read ? "person_read"
                                                          : "subject_access_export");
  q.bind(3, change.actor);
  q.bind(4, change.id);
  q.bind(5, "person:" + change.id);
  q.bind(6, boost::json::serialize(boost::json::object{{"resource", "person"}, {"id", change.id}}));
  q.exec();
  return {status::done, {}, std::move(current)};
}

}  // namespace

change_result apply_change(SQLite::Database& db, const record_change& change) {
  auto before = load_record(db, change.kind, change.id);
  if (is_audited_read(change.action)) return record_read(db, change, std::move(before));
  if (change.action == change_action::create) {
    if (before)
      return refuse(status::conflict,
                    std::string("a ") + std::string(to_string(change.kind)) + " with this id already exists" +
                        (before->active ? "" : " (deactivated)") + ": choose another id",
                    before);
  } else {
    if (!before) return refuse(status::not_found, "no such " + std::string(to_string(change.kind)));
    if (before->version != change.expected_version)
      return refuse(status::conflict,
                    "the record was changed by someone else (now version " + std::to_string(before->version) +
                        "): look at the current record and make the change again",
                    before);
    if (!before->active)
      return refuse(status::conflict,
                    "the record is deactivated and kept as it was; to use it again, import it in a centre file",
                    before);
  }

  auto record = change.record;
  const char* secret_changed = nullptr;
  if (change.action == change_action::create || change.action == change_action::update) {
    if (auto broken = broken_reference(db, record)) return refuse(status::refused, *broken);
    secret_changed = keep_or_replace_secret(record, before);
    if (change.keep_access && before && change.kind == record_kind::person)
      std::get<person>(record).access = std::get<person>(before->record).access;
  } else if (change.action == change_action::deactivate) {
    if (auto why = deactivation_refusal(db, change)) return refuse(status::refused, *why);
  }
  if ((change.action == change_action::deactivate || change.action == change_action::update) &&
      leaves_no_admin(db, change))
    return refuse(status::refused, "the centre must keep at least one active admin");

  switch (change.action) {
    case change_action::create:
    case change_action::update:
      save_record(db, record);
      break;
    case change_action::deactivate:
      deactivate(db, change);
      break;
    case change_action::access_read:
    case change_action::person_read:
    case change_action::subject_access_export:
      break;  // handled above
    case change_action::review:
      save_review(db, change);
      // Saved again as a whole: the reviewed plan is a version of its own, kept like any other.
      if (auto reviewed = load_record(db, record_kind::person, change.id)) save_record(db, reviewed->record);
      break;
  }
  auto after = load_record(db, change.kind, change.id);
  record_event(db, change, before, after, secret_changed);
  return {status::done, {}, std::move(after)};
}

}  // namespace lantern
