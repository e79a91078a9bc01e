// The audit trail against a real lantern-server and its real database: alarms from the
// simulator are chained; `lantern-server --verify-audit` passes a clean file, names the row
// changed or removed behind the server's back (with the append-only triggers dropped), and
// refuses a file that is not there; the server logs the chain's head at stop, so a trail cut
// short after it can be told.
#include "server_process.hpp"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

namespace lantern::testing {
namespace {

run_result verify(const std::string& db) { return run_program(LANTERN_SERVER, {"--verify-audit", "--db", db}); }

void tamper(const std::string& db, const std::string& sql) {
  SQLite::Database raw(db, SQLite::OPEN_READWRITE);
  raw.exec("DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;");
  raw.exec(sql);
}

TEST(AuditTrail, AlarmsAreChainedAndARowChangedOrRemovedIsNamedByVerifyAudit) {
  temp_dir dir;
  auto db = sim_fleet_database(dir, 5);
  {
    server_process server(db);
    auto sim =
        run_program(LANTERN_SIM, {"--centre", dir.file("fleet.json"), "--port", std::to_string(server.device_port()),
                                  "--alarm-rate", "20", "--duration", "1"});
    ASSERT_EQ(sim.exit_code, 0) << sim.output;
    EXPECT_EQ(server.stop(), 0);
    EXPECT_NE(server.output().find("audit chain head: event "), std::string::npos) << "logged at stop";
  }
  std::int64_t alarms = 0, last = 0;
  {
    SQLite::Database read(db, SQLite::OPEN_READONLY);
    alarms = read.execAndGet("SELECT count(*) FROM events WHERE kind = 'alarm'").getInt64();
    last = read.execAndGet("SELECT max(id) FROM events").getInt64();
  }
  ASSERT_GT(alarms, 5);
  temp_dir other;
  auto copy = other.file("lantern.db");
  SQLite::Database(db, SQLite::OPEN_READONLY).exec("VACUUM INTO '" + copy + "'");

  auto clean = verify(db);
  EXPECT_EQ(clean.exit_code, 0) << clean.output;
  EXPECT_NE(clean.output.find("audit trail intact: " + std::to_string(last) + " events, head event " +
                              std::to_string(last) + " "),
            std::string::npos)
      << clean.output;

  // An alarm's detail rewritten, as someone with the sqlite3 shell could.
  auto victim = last - 2;
  tamper(db, "UPDATE events SET detail = 'nothing happened' WHERE id = " + std::to_string(victim));
  auto changed = verify(db);
  EXPECT_EQ(changed.exit_code, 1);
  EXPECT_NE(changed.output.find("audit trail BROKEN at event " + std::to_string(victim) + " ("), std::string::npos)
      << changed.output;
  EXPECT_NE(changed.output.find("does not match the chain"), std::string::npos) << changed.output;

  // The last event removed: nothing follows it to break, yet it is found.
  tamper(copy, "DELETE FROM events WHERE id = " + std::to_string(last));
  auto cut = verify(copy);
  EXPECT_EQ(cut.exit_code, 1);
  EXPECT_NE(cut.output.find("the last event (event " + std::to_string(last) + ") was removed"), std::string::npos)
      << cut.output;

  // A database a build before the seq ledger left (schema 13) holds the same chain: it is
  // checked as it is, not refused as if it came before the chain.
  temp_dir older;
  auto before_ledger = older.file("lantern.db");
  SQLite::Database(db, SQLite::OPEN_READONLY).exec("VACUUM INTO '" + before_ledger + "'");
  {
    SQLite::Database old(before_ledger, SQLite::OPEN_READWRITE);
    old.exec("DROP TABLE alarm_seqs; DROP TABLE alarm_seqs_written; PRAGMA user_version = 13");
  }
  auto older_verdict = verify(before_ledger);
  EXPECT_EQ(older_verdict.exit_code, 1) << older_verdict.output;  // the detail rewritten above is still there
  EXPECT_NE(older_verdict.output.find("audit trail BROKEN at event " + std::to_string(victim) + " ("),
            std::string::npos)
      << older_verdict.output;

  auto missing = verify(dir.file("no-such.db"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("no database at"), std::string::npos) << missing.output;
}

}  // namespace
}  // namespace lantern::testing
