#include "store/seq_ledger.hpp"

#include <algorithm>
#include <functional>
#include <limits>

namespace lantern {
namespace {
// The seqs the server gives its own alarms (supervision) start here, and a device's rarely
// come near: those are looked up every time rather than kept a highest for.
constexpr std::uint64_t looked_up_from = std::uint64_t(1) << 62;
constexpr auto round_every = std::chrono::seconds(1);
}  // namespace

std::size_t seq_ledger::range_hash::operator()(const range& r) const noexcept {
  return std::hash<std::string>{}(r.device_id) ^ (std::hash<std::uint64_t>{}(r.epoch) * 31);
}

seq_ledger::seq_ledger(SQLite::Database& db)
    : db_(db),
      insert_(db, R"(INSERT OR IGNORE INTO alarm_seqs (device_id, device_epoch, device_seq, seq_reuse, event_id)
          VALUES (?, ?, ?, ?, ?))"),
      lookup_(db,
              "SELECT seq_reuse, event_id FROM alarm_seqs WHERE device_id = ? AND device_epoch = ? AND device_seq = ?"),
      highest_(db, R"(SELECT max(device_seq) FROM alarm_seqs WHERE device_id = ? AND device_epoch = ?
          AND device_seq >= 0 AND device_seq < ?)"),
      set_written_(db, "UPDATE alarm_seqs_written SET through_event_id = max(through_event_id, ?)") {}

void seq_ledger::catch_up() {
  // Whatever a crash (or a failed commit) left unwritten is in the events past the mark.
  db_.exec(R"(INSERT OR IGNORE INTO alarm_seqs (device_id, device_epoch, device_seq, seq_reuse, event_id)
      SELECT device_id, device_epoch, device_seq, seq_reuse, id FROM events
      WHERE id > (SELECT through_event_id FROM alarm_seqs_written) AND device_seq IS NOT NULL)");
  db_.exec("UPDATE alarm_seqs_written SET through_event_id = (SELECT coalesce(max(id), 0) FROM events)");
  caught_up_ = true;
}

void seq_ledger::forget() {
  caught_up_ = false;
  round_.clear();
  fresh_.clear();
  round_through_ = fresh_through_ = 0;
  highest_known_.clear();
}

std::uint64_t seq_ledger::highest(const range& r) {
  auto known = highest_known_.find(r);
  if (known != highest_known_.end()) return known->second;
  std::uint64_t high = 0;
  highest_.bind(1, r.device_id);
  highest_.bind(2, static_cast<std::int64_t>(r.epoch));
  highest_.bind(3, static_cast<std::int64_t>(looked_up_from));
  if (highest_.executeStep() && !highest_.getColumn(0).isNull())
    high = static_cast<std::uint64_t>(highest_.getColumn(0).getInt64());
  highest_.reset();
  // And what is held, not yet written: the last entry below the looked-up range.
  for (const auto* held : {&round_, &fresh_}) {
    auto after = held->lower_bound({seq_key{r.device_id, r.epoch, looked_up_from}, std::numeric_limits<int>::min()});
    if (after == held->begin()) continue;
    const auto& [key, reuse] = std::prev(after)->first;
    if (key.device_id == r.device_id && key.epoch == r.epoch) high = std::max(high, key.seq);
  }
  highest_known_.emplace(r, high);
  return high;
}

bool seq_ledger::may_be_stored(const seq_key& key) {
  if (!caught_up_) catch_up();
  if (key.seq >= looked_up_from) return true;
  return key.seq <= highest({key.device_id, key.epoch});
}

std::vector<stored_seq> seq_ledger::stored_under(const seq_key& key) {
  if (!caught_up_) catch_up();
  std::vector<stored_seq> stored;
  lookup_.bind(1, key.device_id);
  lookup_.bind(2, static_cast<std::int64_t>(key.epoch));
  lookup_.bind(3, static_cast<std::int64_t>(key.seq));
  while (lookup_.executeStep()) stored.push_back({lookup_.getColumn(0).getInt(), lookup_.getColumn(1).getInt64()});
  lookup_.reset();
  for (const auto* held : {&round_, &fresh_})
    for (auto it = held->lower_bound({key, std::numeric_limits<int>::min()});
         it != held->end() && it->first.first == key; ++it)
      stored.push_back({it->first.second, it->second});
  return stored;
}

void seq_ledger::add(const seq_key& key, int reuse, std::int64_t event_id) {
  if (!caught_up_) catch_up();
  fresh_.emplace(std::pair{key, reuse}, event_id);
  fresh_through_ = std::max(fresh_through_, event_id);
  if (key.seq >= looked_up_from) return;
  if (auto known = highest_known_.find({key.device_id, key.epoch}); known != highest_known_.end())
    known->second = std::max(known->second, key.seq);
}

void seq_ledger::write(entries::iterator from, entries::iterator to) {
  for (auto it = from; it != to; ++it) {
    const auto& [key, reuse] = it->first;
    insert_.bind(1, key.device_id);
    insert_.bind(2, static_cast<std::int64_t>(key.epoch));
    insert_.bind(3, static_cast<std::int64_t>(key.seq));
    insert_.bind(4, reuse);
    insert_.bind(5, it->second);
    insert_.exec();
    insert_.reset();
  }
}

void seq_ledger::write_some(std::size_t at_least, std::chrono::steady_clock::time_point now) {
  if (!caught_up_) catch_up();
  if (round_.empty()) {
    if (fresh_.empty() || now - round_began_ < round_every) return;
    round_.swap(fresh_);
    round_through_ = std::exchange(fresh_through_, 0);
    round_began_ = now;
  }
  auto to = round_.begin();
  std::advance(to, std::min(at_least, round_.size()));
  write(round_.begin(), to);
  round_.erase(round_.begin(), to);
  // The mark moves with the round's last seq, never before.
  if (!round_.empty()) return;
  set_written_.bind(1, round_through_);
  set_written_.exec();
  set_written_.reset();
}

void seq_ledger::write_all() {
  if (!caught_up_) catch_up();
  write(round_.begin(), round_.end());
  write(fresh_.begin(), fresh_.end());
  set_written_.bind(1, std::max(round_through_, fresh_through_));
  set_written_.exec();
  set_written_.reset();
  round_.clear();
  fresh_.clear();
}

}  // namespace lantern
