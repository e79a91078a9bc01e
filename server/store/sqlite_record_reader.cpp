#include "store/sqlite_record_reader.hpp"

#include "store/case_store.hpp"
#include "store/centre_store.hpp"
#include "store/record_queries.hpp"
#include "store/welfare_query.hpp"

#include <SQLiteCpp/Transaction.h>

namespace lantern {

template <typename Query>
auto sqlite_record_reader::with_connection(Query query) {
  std::unique_ptr<SQLite::Database> db;
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      db = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!db) {
    db = std::make_unique<SQLite::Database>(db_path_, SQLite::OPEN_READONLY);
    db->setBusyTimeout(5000);
  }
  auto result = query(*db);  // a connection that threw is dropped, not kept
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(db));
  return result;
}

boost::json::object sqlite_record_reader::list(record_kind kind, const record_query& query) {
  return with_connection([&](SQLite::Database& db) { return list_records(db, kind, query); });
}

std::optional<boost::json::object> sqlite_record_reader::read(record_kind kind, const std::string& id,
                                                              std::int64_t outcomes_since_ms) {
  return with_connection([&](SQLite::Database& db) { return read_record(db, kind, id, outcomes_since_ms); });
}

std::optional<boost::json::object> sqlite_record_reader::subject_access(const std::string& person_id) {
  return with_connection([&](SQLite::Database& db) { return subject_access_record(db, person_id); });
}

centre sqlite_record_reader::active_records() {
  return with_connection([](SQLite::Database& db) { return load_centre(db); });
}

std::vector<welfare_row> sqlite_record_reader::welfare(std::int64_t from_ms, std::int64_t to_ms) {
  return with_connection([&](SQLite::Database& db) { return welfare_list(db, from_ms, to_ms); });
}

void sqlite_record_reader::replay_events(const std::function<void(const desk_event&)>& each) {
  with_connection([&](SQLite::Database& db) {
    // One read transaction: the events as of one commit, however long the replay takes.
    SQLite::Transaction snapshot(db);
    for_each_desk_event(db, 0, [&](desk_event e) { each(e); });
    return 0;
  });
}

}  // namespace lantern
