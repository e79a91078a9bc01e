// The schema, as an ordered list of migrations. Never edit a released migration: add one.
#include "store/database.hpp"

#include "store/audit_chain.hpp"

#include <SQLiteCpp/Transaction.h>

#include <array>
#include <stdexcept>
#include <string>

namespace lantern {
namespace {

constexpr std::array<const char*, 11> migrations{
    // 1: the centre's records, the append-only event journal, and the case projection.
    R"sql(
CREATE TABLE operators (
  username      TEXT PRIMARY KEY,
  display_name  TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('operator', 'supervisor', 'admin')),
  languages     TEXT NOT NULL,            -- JSON array of language tags
  password_hash TEXT NOT NULL,            -- Argon2id
  active        INTEGER NOT NULL DEFAULT 1,
  version       INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE carers (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  relationship  TEXT NOT NULL,
  phone         TEXT NOT NULL,
  email         TEXT NOT NULL,
  languages     TEXT NOT NULL,            -- JSON array
  time_zone     TEXT NOT NULL,
  availability  TEXT NOT NULL,            -- JSON array of {days, from, to}
  active        INTEGER NOT NULL DEFAULT 1,
  version       INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE persons (
  id                 TEXT PRIMARY KEY,
  name               TEXT NOT NULL,
  date_of_birth      TEXT NOT NULL,
  address            TEXT NOT NULL,
  phone              TEXT NOT NULL,
  preferred_language TEXT NOT NULL,
  communication      TEXT NOT NULL,
  what_matters       TEXT NOT NULL,
  medical_notes      TEXT NOT NULL,
  medications        TEXT NOT NULL,
  allergies          TEXT NOT NULL,
  access             TEXT NOT NULL,
  gp                 TEXT NOT NULL,
  coordinator        TEXT NOT NULL,
  review_due         TEXT NOT NULL,
  ack_timeout_s      INTEGER NOT NULL,
  passes             INTEGER NOT NULL,
  active             INTEGER NOT NULL DEFAULT 1,
  version            INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE plan_responders (
  person_id TEXT NOT NULL REFERENCES persons(id),
  position  INTEGER NOT NULL,
  carer_id  TEXT NOT NULL REFERENCES carers(id),
  PRIMARY KEY (person_id, position)
);
CREATE TABLE plan_rules (
  person_id    TEXT NOT NULL REFERENCES persons(id),
  alarm_type   TEXT NOT NULL,
  priority     TEXT,                      -- NULL: the type's default
  instructions TEXT NOT NULL,
  PRIMARY KEY (person_id, alarm_type)
);
CREATE TABLE devices (
  id                   TEXT PRIMARY KEY,
  person_id            TEXT NOT NULL REFERENCES persons(id),
  kind                 TEXT NOT NULL,
  token_hash           TEXT NOT NULL,     -- Argon2id
  heartbeat_interval_s INTEGER NOT NULL,
  active               INTEGER NOT NULL DEFAULT 1,
  version              INTEGER NOT NULL DEFAULT 1
);

-- The audit trail: device alarms, imports, and (later) operator actions. Never changed.
CREATE TABLE events (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  recorded_at_ms INTEGER NOT NULL,
  kind           TEXT NOT NULL,           -- alarm, centre_import, ...
  device_id      TEXT,
  device_seq     INTEGER,
  person_id      TEXT,
  alarm_type     TEXT,
  occurred_at_ms INTEGER,
  detail         TEXT,
  actor          TEXT,
  payload        TEXT
);
-- A re-sent alarm (same device, same seq) is stored once.
CREATE UNIQUE INDEX events_device_seq ON events (device_id, device_seq) WHERE device_seq IS NOT NULL;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- The desk's cases, a projection of the events up to desk_state.applied_event_id.
CREATE TABLE cases (
  id                INTEGER PRIMARY KEY,
  person_id         TEXT NOT NULL,
  alarm_type        TEXT NOT NULL,
  priority          TEXT NOT NULL,
  state             TEXT NOT NULL,
  opened_at_ms      INTEGER NOT NULL,
  last_alarm_at_ms  INTEGER NOT NULL,
  alarm_count       INTEGER NOT NULL,
  cancelled_at_unit INTEGER NOT NULL,
  device_id         TEXT NOT NULL,
  detail            TEXT NOT NULL,
  first_event_id    INTEGER NOT NULL,
  last_event_id     INTEGER NOT NULL
);
CREATE INDEX cases_open ON cases (state) WHERE state <> 'resolved';
CREATE INDEX cases_person ON cases (person_id, opened_at_ms);
CREATE TABLE desk_state (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  applied_event_id INTEGER NOT NULL
);
INSERT INTO desk_state VALUES (1, 0);
)sql",
    // 2: operators' login sessions survive a restart. Only a hash of each token is kept.
    R"sql(
CREATE TABLE login_sessions (
  token_hash    TEXT PRIMARY KEY,
  username      TEXT NOT NULL,
  expires_at_ms INTEGER NOT NULL
);
)sql",
    // 3: cases are worked by operators: owner, answer and resolve times, outcome, routing,
    // and each case's timeline (a projection of the events, saved with the cases).
    R"sql(
ALTER TABLE cases ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN answered_at_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN owned_since_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN escalated_at_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN resolved_at_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN language_first_until_ms INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cases_resolved ON cases (resolved_at_ms) WHERE state = 'resolved';
CREATE INDEX cases_opened ON cases (opened_at_ms);
CREATE TABLE case_timeline (
  case_id  INTEGER NOT NULL,
  position INTEGER NOT NULL,
  at_ms    INTEGER NOT NULL,
  kind     TEXT NOT NULL,
  actor    TEXT NOT NULL,
  text     TEXT NOT NULL,
  PRIMARY KEY (case_id, position)
) WITHOUT ROWID;
)sql",
    // 4: escalation to carers. A case's chain and attempts (one JSON document: they change
    // together), why the case is raised again, and plan rules that escalate by themselves.
    R"sql(
ALTER TABLE cases ADD COLUMN attention TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN escalation TEXT NOT NULL DEFAULT '';
ALTER TABLE plan_rules ADD COLUMN escalate_after_s INTEGER;
)sql",
    // 5: device supervision: when each device was last heard from (saved in batches), and
    // alarms by time for the welfare-check list after an outage.
    R"sql(
CREATE TABLE device_last_seen (
  device_id    TEXT PRIMARY KEY,
  last_seen_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX events_alarms_by_time ON events (recorded_at_ms) WHERE kind = 'alarm';
)sql",
    // 6: records kept current by administrators. Every version of a person's record and
    // plan is kept, so an open case shows the plan it opened under (cases.plan_version);
    // plan reviews; and the record changes in the events, by record, for the audit trail.
    R"sql(
CREATE TABLE plan_versions (
  person_id      TEXT NOT NULL,
  version        INTEGER NOT NULL,
  recorded_at_ms INTEGER NOT NULL,
  record         TEXT NOT NULL,           -- the person and plan as JSON, as the API shows them
  PRIMARY KEY (person_id, version)
) WITHOUT ROWID;
ALTER TABLE cases ADD COLUMN plan_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE persons ADD COLUMN reviewed_at_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE persons ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE persons ADD COLUMN review_note TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN record_id TEXT;
CREATE INDEX events_by_record ON events (record_id, id) WHERE record_id IS NOT NULL;
)sql",
    // 7: a device's seq is unique per epoch (Hello.epoch), and an alarm that comes with a
    // seq already used for a different alarm is stored too, as the nth reuse of that seq.
    R"sql(
ALTER TABLE events ADD COLUMN device_epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN seq_reuse INTEGER NOT NULL DEFAULT 0;
DROP INDEX events_device_seq;
CREATE UNIQUE INDEX events_device_seq ON events (device_id, device_epoch, device_seq, seq_reuse)
  WHERE device_seq IS NOT NULL;
)sql",
    // 8: units that report over SIA DC-09, known by account; and, for their alarms, what makes
    // a re-send the same event (a digest of its content: DC-09's seq wraps at 9999).
    R"sql(
ALTER TABLE devices ADD COLUMN dc09_account TEXT;
ALTER TABLE devices ADD COLUMN dc09_receiver TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN dc09_line TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN dc09_key TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN dc09_key_ascii INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN dc09_zones TEXT NOT NULL DEFAULT '[]';
CREATE UNIQUE INDEX devices_dc09_account ON devices (dc09_account) WHERE dc09_account IS NOT NULL AND active;
ALTER TABLE events ADD COLUMN resend_digest BLOB;
CREATE INDEX events_resend ON events (device_id, resend_digest) WHERE resend_digest IS NOT NULL;
)sql",
    // 9: what a card needs beyond the plan's text: hazards in the home (a JSON list), a
    // device's place in the home, and instructions meant for carers rather than operators.
    R"sql(
ALTER TABLE persons ADD COLUMN hazards TEXT NOT NULL DEFAULT '[]';
ALTER TABLE devices ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE plan_rules ADD COLUMN carer_instructions TEXT NOT NULL DEFAULT '';
)sql",
    // 10: whether an operator's state follows their work (on a call while they own a case).
    R"sql(
ALTER TABLE operators ADD COLUMN auto_presence INTEGER NOT NULL DEFAULT 1;
)sql",
    // 11: the centre itself (name, phone, default language, time zone, default instructions
    // per alarm type, standard notes): one record, as JSON, versioned like the others.
    R"sql(
CREATE TABLE centre_settings (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL,
  record  TEXT NOT NULL
);
)sql",
};

// 12: the events table as a hash chain (store/audit_chain): its SQL is made from the list of
// chained columns, and the rows already stored are chained in C++.
constexpr int audit_chain_migration = 12;
// 13: the journal hashes the rows it inserts itself; the trigger hashes the others.
constexpr int writer_hashes_migration = 13;
// 14: the seqs stored, for telling a re-send from a new alarm, in a table of their own that
// the journal writes in rounds (store/seq_ledger), instead of a unique index on the events
// that took a random page per alarm. The mark says up to which event the table is whole.
constexpr int seq_ledger_migration = 14;
constexpr const char* seq_ledger_schema = R"sql(
CREATE TABLE alarm_seqs (
  device_id    TEXT NOT NULL,
  device_epoch INTEGER NOT NULL,
  device_seq   INTEGER NOT NULL,
  seq_reuse    INTEGER NOT NULL,
  event_id     INTEGER NOT NULL,
  PRIMARY KEY (device_id, device_epoch, device_seq, seq_reuse)
) WITHOUT ROWID;
CREATE TABLE alarm_seqs_written (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  through_event_id INTEGER NOT NULL
);
INSERT INTO alarm_seqs SELECT device_id, device_epoch, device_seq, seq_reuse, id FROM events
  WHERE device_seq IS NOT NULL ORDER BY device_id, device_epoch, device_seq, seq_reuse;
INSERT INTO alarm_seqs_written VALUES (1, (SELECT coalesce(max(id), 0) FROM events));
DROP INDEX events_device_seq;
)sql";

}  // namespace

int latest_schema_version() { return seq_ledger_migration; }
int audit_chain_schema_version() { return audit_chain_migration; }

void migrate(SQLite::Database& db, int up_to) {
  if (up_to <= 0) up_to = latest_schema_version();
  int current = schema_version(db);
  if (current > latest_schema_version())
    throw std::runtime_error("database schema version " + std::to_string(current) +
                             " is newer than this lantern-server understands (" +
                             std::to_string(latest_schema_version()) + "): upgrade lantern-server");
  register_audit_chain(db);
  for (int next = current + 1; next <= up_to; ++next) {
    SQLite::Transaction transaction(db);
    if (next == audit_chain_migration) {
      db.exec(audit_chain_schema());
      chain_existing_events(db);
    } else if (next == writer_hashes_migration) {
      db.exec(audit_chain_writer_hashes());
    } else if (next == seq_ledger_migration) {
      db.exec(seq_ledger_schema);
    } else {
      db.exec(migrations[next - 1]);
    }
    db.exec("PRAGMA user_version = " + std::to_string(next));
    transaction.commit();
  }
}

}  // namespace lantern
