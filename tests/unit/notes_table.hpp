#pragma once
// A table of notes for the tests of how the database file is written (store/wal_*): rows of
// 500 bytes, about one 1 KiB page each.

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

namespace lantern::testing {

inline void make_notes_table(SQLite::Database& db) {
  db.exec("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT)");
}

// One transaction of `rows` rows, ids from `first`.
inline void insert_notes(SQLite::Database& db, int first, int rows) {
  SQLite::Transaction t(db);
  SQLite::Statement insert(db, "INSERT INTO notes VALUES (?, ?)");
  for (int i = first; i < first + rows; ++i) {
    insert.bind(1, i);
    insert.bind(2, std::string(500, static_cast<char>('a' + i % 26)));
    insert.exec();
    insert.reset();
  }
  t.commit();
}

inline long count_notes(SQLite::Database& db) { return db.execAndGet("SELECT count(*) FROM notes").getInt64(); }

}  // namespace lantern::testing
