#pragma once
// The events table as a tamper-evident trail: every row carries
//   hash = BLAKE2b-256(previous row's hash ‖ the row's canonical bytes)
// set by a trigger as the row is inserted, so every writer chains alike. A row changed or
// removed behind Lantern's back (the append-only triggers dropped first) breaks the chain at
// that row; `verify_audit_chain` walks it. The canonical bytes are each chained column in a
// fixed order, tagged by type: a new column is chained only once it is added here, with a
// migration that re-creates the trigger.

#include <SQLiteCpp/Database.h>
#include <sodium.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lantern {

// The columns chained, in order (the id first: a row moved to another id breaks the chain).
inline constexpr const char* chained_event_columns =
    "id, recorded_at_ms, kind, device_id, device_seq, person_id, alarm_type, occurred_at_ms, detail, actor, "
    "payload, record_id, device_epoch, seq_reuse, resend_digest";

// Makes lantern_event_hash(previous, columns...) known to `db`: the chain's trigger calls
// it, so every connection that inserts events needs it (open_database registers it).
void register_audit_chain(SQLite::Database& db);

// The SQL that adds the hash column and the trigger, and lets the trigger (alone) set it.
std::string audit_chain_schema();
// The SQL that leaves a row's hash to its writer when it brings one (the journal does: the
// trigger's UPDATE rewrote each row a second time, 8 µs an alarm); else the trigger sets it.
std::string audit_chain_writer_hashes();

using chain_digest = std::array<unsigned char, 32>;
// The hash a row follows: the previous row's, or zeros when there is none (or it is not a hash).
chain_digest chain_link(const void* previous, int size);

// A row's hash computed before it is stored, from the values bound to its chained columns in
// order (SQLite's types: an integer column bound an integer, and so on): the same bytes
// lantern_event_hash takes from the stored row, so verify_audit_chain checks both alike.
class event_hasher {
 public:
  explicit event_hasher(const chain_digest& previous);
  void null();
  void integer(std::int64_t value);
  void real(double value);
  void text(std::string_view value);
  void blob(std::string_view value);
  chain_digest finish();

 private:
  void tag(int sqlite_type);
  void bytes(int sqlite_type, std::string_view value);
  crypto_generichash_state state_;
};
// Chains the rows stored before the trigger existed, in id order.
void chain_existing_events(SQLite::Database& db);

struct audit_verdict {
  std::int64_t events = 0;  // rows that hold, before any broken one
  std::string head_hex;     // the last row's hash: the figure the server logs every minute
  std::int64_t head_id = 0;
  // Empty when the chain holds; else the first broken row, in words ("event 1234 (2026-11-30
  // 14:03:22 UTC, alarm) does not match the chain: ...").
  std::string broken;
  std::int64_t broken_id = 0;
};

// Walks the whole chain, oldest first. Read-only.
audit_verdict verify_audit_chain(SQLite::Database& db);

// The last row's id and hash (hex), for the log; nothing when there are no events.
std::optional<std::pair<std::int64_t, std::string>> audit_chain_head(SQLite::Database& db);

}  // namespace lantern
