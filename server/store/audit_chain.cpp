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

using digest = std::array<unsigned char, 32>;

void add(crypto_generichash_state& state, const void* bytes, std::size_t size) {
  crypto_generichash_update(&state, static_cast<const unsigned char*>(bytes), size);
}

void add_le(crypto_generichash_state& state, std::uint64_t value, int width) {
  unsigned char bytes[8];
  for (int i = 0; i < width; ++i) bytes[i] = static_cast<unsigned char>(value >> (8 * i));
  add(state, bytes, static_cast<std::size_t>(width));
}

// One column: its type tag, then its value (integers and floats as 8 bytes, little-endian;
// text and blobs as a 4-byte length and the bytes), so no two rows share canonical bytes.
void add_value(crypto_generichash_state& state, sqlite3_value* value) {
  int type = sqlite3_value_type(value);
  unsigned char tag = static_cast<unsigned char>(type);
  add(state, &tag, 1);
  if (type == SQLITE_INTEGER) {
    add_le(state, static_cast<std::uint64_t>(sqlite3_value_int64(value)), 8);
  } else if (type == SQLITE_FLOAT) {
    double d = sqlite3_value_double(value);
    std::uint64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    add_le(state, bits, 8);
  } else if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
    const void* bytes =
        type == SQLITE_TEXT ? static_cast<const void*>(sqlite3_value_text(value)) : sqlite3_value_blob(value);
    auto size = static_cast<std::size_t>(sqlite3_value_bytes(value));
    add_le(state, size, 4);
    if (size) add(state, bytes, size);
  }
}

// lantern_event_hash(previous hash or NULL, the row's chained columns...)
void event_hash(sqlite3_context* context, int argc, sqlite3_value** argv) {
  if (argc < 2) return sqlite3_result_error(context, "lantern_event_hash: the previous hash and the row, please", -1);
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, digest{}.size());
  digest previous{};  // the first row follows zeros
  if (sqlite3_value_type(argv[0]) == SQLITE_BLOB && sqlite3_value_bytes(argv[0]) == int(previous.size()))
    std::memcpy(previous.data(), sqlite3_value_blob(argv[0]), previous.size());
  add(state, previous.data(), previous.size());
  for (int i = 1; i < argc; ++i) add_value(state, argv[i]);
  digest out;
  crypto_generichash_final(&state, out.data(), out.size());
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

void register_audit_chain(SQLite::Database& db) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
  int rc = sqlite3_create_function_v2(db.getHandle(), "lantern_event_hash", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                      nullptr, event_hash, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK)
    throw std::runtime_error("cannot register lantern_event_hash: " + std::string(sqlite3_errstr(rc)));
}

std::string audit_chain_schema() {
  return R"sql(
ALTER TABLE events ADD COLUMN hash BLOB;
DROP TRIGGER events_no_update;
-- Only the chain's own trigger may touch a row, once, to set its hash.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events WHEN OLD.hash IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_chain AFTER INSERT ON events BEGIN
  UPDATE events SET hash = lantern_event_hash(
    (SELECT hash FROM events WHERE id < NEW.id ORDER BY id DESC LIMIT 1), )sql" +
         with_prefix("NEW.") + R"sql()
  WHERE id = NEW.id;
END;
)sql";
}

void chain_existing_events(SQLite::Database& db) {
  SQLite::Statement chain(db, "UPDATE events SET hash = lantern_event_hash(?, " + with_prefix("") + ") WHERE id = ?");
  SQLite::Statement rows(db, "SELECT id FROM events ORDER BY id");
  SQLite::Statement hash_of(db, "SELECT hash FROM events WHERE id = ?");
  std::vector<std::int64_t> ids;
  while (rows.executeStep()) ids.push_back(rows.getColumn(0).getInt64());
  digest previous{};
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
