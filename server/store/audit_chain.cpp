#include "store/audit_chain.hpp"

#include <SQLiteCpp/Statement.h>
#include <sodium.h>
#include <sqlite3.h>

#include <array>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <vector>

namespace lantern {
namespace {

void add_le(crypto_generichash_state& state, std::uint64_t value, int width) {
  unsigned char bytes[8];
  for (int i = 0; i < width; ++i) bytes[i] = static_cast<unsigned char>(value >> (8 * i));
  crypto_generichash_update(&state, bytes, static_cast<std::size_t>(width));
}

// One column: its type tag, then its value (integers and floats as 8 bytes, little-endian;
// text and blobs as a 4-byte length and the bytes), so no two rows share canonical bytes.
void add_value(event_hasher& hasher, sqlite3_value* value) {
  int type = sqlite3_value_type(value);
  if (type == SQLITE_INTEGER) {
    hasher.integer(sqlite3_value_int64(value));
  } else if (type == SQLITE_FLOAT) {
    hasher.real(sqlite3_value_double(value));
  } else if (type == SQLITE_TEXT) {
    hasher.text({reinterpret_cast<const char*>(sqlite3_value_text(value)),
                 static_cast<std::size_t>(sqlite3_value_bytes(value))});
  } else if (type == SQLITE_BLOB) {
    hasher.blob(
        {static_cast<const char*>(sqlite3_value_blob(value)), static_cast<std::size_t>(sqlite3_value_bytes(value))});
  } else {
    hasher.null();
  }
}

// lantern_event_hash(previous hash or NULL, the row's chained columns...)
void event_hash(sqlite3_context* context, int argc, sqlite3_value** argv) {
  if (argc < 2) return sqlite3_result_error(context, "lantern_event_hash: the previous hash and the row, please", -1);
  event_hasher hasher(chain_link(sqlite3_value_type(argv[0]) == SQLITE_BLOB ? sqlite3_value_blob(argv[0]) : nullptr,
                                 sqlite3_value_bytes(argv[0])));
  for (int i = 1; i < argc; ++i) add_value(hasher, argv[i]);
  auto out = hasher.finish();
  sqlite3_result_blob(context, out.data(), int(out.size()), SQLITE_TRANSIENT);
}

std::string with_prefix(const std::string& prefix) {
  std::string out;
  std::string_view columns = chained_event_columns;
  while (!columns.empty()) {
    auto comma = columns.find(',');
    auto name = columns.substr(0, comma);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    if (!out.empty()) out += ", ";
    out += prefix;
    out += name;
    columns = comma == std::string_view::npos ? std::string_view{} : columns.substr(comma + 1);
  }
  return out;
}

std::string hex(const void* bytes, int size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < size; ++i) {
    auto b = static_cast<const unsigned char*>(bytes)[i];
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

std::string utc_time(std::int64_t at_ms) {
  std::time_t t = static_cast<std::time_t>(at_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return text;
}

}  // namespace

chain_digest chain_link(const void* previous, int size) {
  chain_digest out{};  // the first row, or one before the chain, follows zeros
  if (previous != nullptr && size == int(out.size())) std::memcpy(out.data(), previous, out.size());
  return out;
}

event_hasher::event_hasher(const chain_digest& previous) {
  crypto_generichash_init(&state_, nullptr, 0, chain_digest{}.size());
  crypto_generichash_update(&state_, previous.data(), previous.size());
}

void event_hasher::tag(int sqlite_type) {
  auto tag = static_cast<unsigned char>(sqlite_type);
  crypto_generichash_update(&state_, &tag, 1);
}

void event_hasher::null() { tag(SQLITE_NULL); }

void event_hasher::integer(std::int64_t value) {
  tag(SQLITE_INTEGER);
  add_le(state_, static_cast<std::uint64_t>(value), 8);
}

void event_hasher::real(double value) {
  tag(SQLITE_FLOAT);
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  add_le(state_, bits, 8);
}

void event_hasher::bytes(int sqlite_type, std::string_view value) {
  tag(sqlite_type);
  add_le(state_, value.size(), 4);
  if (!value.empty())
    crypto_generichash_update(&state_, reinterpret_cast<const unsigned char*>(value.data()), value.size());
}

void event_hasher::text(std::string_view value) { bytes(SQLITE_TEXT, value); }
void event_hasher::blob(std::string_view value) { bytes(SQLITE_BLOB, value); }

chain_digest event_hasher::finish() {
  chain_digest out;
  crypto_generichash_final(&state_, out.data(), out.size());
  return out;
}

void register_audit_chain(SQLite::Database& db) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
  int rc = sqlite3_create_function_v2(db.getHandle(), "lantern_event_hash", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                      nullptr, event_hash, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK)
    throw std::runtime_error("cannot register lantern_event_hash: " + std::string(sqlite3_errstr(rc)));
}

namespace {
// The chain's trigger: it hashes every row inserted `when`, from the row before it.
std::string chain_trigger(std::string_view when) {
  return "CREATE TRIGGER events_chain AFTER INSERT ON events " + std::string(when) + R"sql( BEGIN
  UPDATE events SET hash = lantern_event_hash(
    (SELECT hash FROM events WHERE id < NEW.id ORDER BY id DESC LIMIT 1), )sql" +
         with_prefix("NEW.") + R"sql()
  WHERE id = NEW.id;
END;
)sql";
}
}  // namespace

std::string audit_chain_schema() {
  return R"sql(
ALTER TABLE events ADD COLUMN hash BLOB;
DROP TRIGGER events_no_update;
-- Only the chain's own trigger may touch a row, once, to set its hash.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events WHEN OLD.hash IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
)sql" + chain_trigger("");
}

std::string audit_chain_writer_hashes() {
  return "DROP TRIGGER events_chain;\n" + chain_trigger("WHEN NEW.hash IS NULL");
}

void chain_existing_events(SQLite::Database& db) {
  SQLite::Statement chain(db, "UPDATE events SET hash = lantern_event_hash(?, " + with_prefix("") + ") WHERE id = ?");
  SQLite::Statement rows(db, "SELECT id FROM events ORDER BY id");
  SQLite::Statement hash_of(db, "SELECT hash FROM events WHERE id = ?");
  std::vector<std::int64_t> ids;
  while (rows.executeStep()) ids.push_back(rows.getColumn(0).getInt64());
  chain_digest previous{};
  bool first = true;
  for (auto id : ids) {
    if (first)
      chain.bind(1);
    else
      chain.bind(1, previous.data(), int(previous.size()));
    chain.bind(2, id);
    chain.exec();
    chain.reset();
    hash_of.bind(1, id);
    hash_of.executeStep();
    std::memcpy(previous.data(), hash_of.getColumn(0).getBlob(), previous.size());
    hash_of.reset();
    first = false;
  }
}

audit_verdict verify_audit_chain(SQLite::Database& db) {
  audit_verdict verdict;
  // Each row's hash against the one its predecessor (as stored) and its own bytes give.
  SQLite::Statement walk(
      db, "SELECT id, recorded_at_ms, kind, hash, lantern_event_hash(lag(hash) OVER (ORDER BY id), " + with_prefix("") +
              ") FROM events ORDER BY id");
  std::int64_t previous_id = 0;
  while (walk.executeStep()) {
    auto id = walk.getColumn(0).getInt64();
    auto at = walk.getColumn(1).getInt64();
    auto kind = walk.getColumn(2).getString();
    auto stored = walk.getColumn(3);
    auto expected = walk.getColumn(4);
    auto where = "event " + std::to_string(id) + " (" + utc_time(at) + ", " + kind + ")";
    std::string why;
    if (stored.isNull())
      why = where + " has no hash: written with the chain's trigger dropped";
    else if (stored.getBytes() != expected.getBytes() ||
             std::memcmp(stored.getBlob(), expected.getBlob(), std::size_t(stored.getBytes())) != 0)
      why = previous_id != 0 && previous_id != id - 1
                ? where + " follows event " + std::to_string(previous_id) + ": the events between were removed"
                : where + " does not match the chain: it was changed, or an event before it was removed";
    if (!why.empty()) {
      verdict.broken = why;
      verdict.broken_id = id;
      return verdict;
    }
    ++verdict.events;
    verdict.head_id = id;
    verdict.head_hex = hex(stored.getBlob(), stored.getBytes());
    previous_id = id;
  }
  // The last rows removed leave no successor to break: the id sequence still remembers them.
  SQLite::Statement sequence(db, "SELECT seq FROM sqlite_sequence WHERE name = 'events'");
  if (sequence.executeStep() && sequence.getColumn(0).getInt64() > verdict.head_id) {
    auto last = sequence.getColumn(0).getInt64();
    verdict.broken =
        (last - verdict.head_id == 1 ? "the last event (event " + std::to_string(last) + ") was removed"
                                     : "the last " + std::to_string(last - verdict.head_id) + " events (up to event " +
                                           std::to_string(last) + ") were removed") +
        (verdict.head_id ? ": the trail ends at event " + std::to_string(verdict.head_id) : "");
    verdict.broken_id = verdict.head_id + 1;
  }
  return verdict;
}

std::optional<std::pair<std::int64_t, std::string>> audit_chain_head(SQLite::Database& db) {
  SQLite::Statement q(db, "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1");
  if (!q.executeStep() || q.getColumn(1).isNull()) return std::nullopt;
  auto hash = q.getColumn(1);
  return std::pair{q.getColumn(0).getInt64(), hex(hash.getBlob(), hash.getBytes())};
}

}  // namespace lantern
