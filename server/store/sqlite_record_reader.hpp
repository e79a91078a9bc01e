#pragma once
// record_reader on the SQLite database: read-only connections, kept open between requests
// (one per concurrent reader, at most a few) so a page of records costs no open and no
// schema parse.

#include "core/record_reader.hpp"

#include <SQLiteCpp/Database.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace lantern {

class sqlite_record_reader final : public record_reader {
 public:
  explicit sqlite_record_reader(std::string db_path) : db_path_(std::move(db_path)) {}

  boost::json::object list(record_kind kind, const record_query& query) override;
  std::optional<boost::json::object> read(record_kind kind, const std::string& id,
                                          std::int64_t outcomes_since_ms) override;
  std::optional<boost::json::object> subject_access(const std::string& person_id) override;
  centre active_records() override;
  std::vector<welfare_row> welfare(std::int64_t from_ms, std::int64_t to_ms) override;
  void replay_events(const std::function<void(const desk_event&)>& each) override;

 private:
  // Runs `query` on a connection of the pool, opened when none is free.
  template <typename Query>
  auto with_connection(Query query);

  std::string db_path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<SQLite::Database>> idle_;
};

}  // namespace lantern
