#pragma once
// The desk's cases on disk: what the desk restores at start, and the writes the journal
// makes to keep the projection (cases and their timelines) current.

#include "centre/case_record.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <functional>
#include <vector>

namespace lantern {

// Open cases, cases resolved since `resolved_since_ms` (still reopenable), each person's
// last `history_length` resolved cases, every case opened since `opened_since_ms`, and the
// events stored after the projection was saved.
desk_restore_point load_desk_restore_point(SQLite::Database& db, std::int64_t resolved_since_ms,
                                           std::int64_t opened_since_ms, std::size_t history_length = 10);

// Every stored alarm and case action after event `after_id`, in the order stored, as the
// desk applies them (a restart's replay, and the service report's).
void for_each_desk_event(SQLite::Database& db, std::int64_t after_id, const std::function<void(desk_event)>& each);

// Prepared once, used by the journal writer for every batch.
class case_writer {
 public:
  explicit case_writer(SQLite::Database& db);
  void write(const case_record& c);
  void set_applied_event(std::int64_t event_id);

 private:
  SQLite::Statement upsert_;
  SQLite::Statement saved_lines_;
  SQLite::Statement timeline_;
  SQLite::Statement applied_;
};

}  // namespace lantern
