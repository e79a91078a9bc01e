// The events table as a hash chain, against a real SQLite file: a clean trail verifies; a
// row changed, a row removed from the middle, the last rows removed, a row written with the
// chain's trigger dropped are each found and named; the append-only triggers still refuse
// an update; rows stored before the chain existed are chained by the migration.
#include "store/audit_chain.hpp"
#include "store/database.hpp"
#include "test_database.hpp"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

namespace lantern {
namespace {

class AuditChain : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = open_database(file_.path());
    migrate(*db_);
  }
  void add_events(int n) {
    for (int i = 0; i < n; ++i)
      db_->exec("INSERT INTO events (recorded_at_ms, kind, actor, detail, payload) VALUES (1764511402000 + " +
                std::to_string(i * 1000) + ", 'case_action', 'amira', 'note " + std::to_string(i) + "', '{}')");
  }
  // What someone with the sqlite3 shell and write access to the file can do.
  void tamper(const std::string& sql) {
    SQLite::Database raw(file_.path(), SQLite::OPEN_READWRITE);
    raw.exec("DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;");
    raw.exec(sql);
  }
  testing::temp_database file_;
  std::unique_ptr<SQLite::Database> db_;
};

TEST_F(AuditChain, ACleanTrailVerifiesAndEveryRowCarriesItsHash) {
  add_events(5);
  auto verdict = verify_audit_chain(*db_);
  EXPECT_EQ(verdict.broken, "");
  EXPECT_EQ(verdict.events, 5);
  EXPECT_EQ(verdict.head_id, 5);
  EXPECT_EQ(verdict.head_hex.size(), 64u);
  EXPECT_EQ(db_->execAndGet("SELECT count(*) FROM events WHERE length(hash) = 32").getInt(), 5);
  auto head = audit_chain_head(*db_);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->second, verdict.head_hex);
  // Each hash depends on the one before: two rows alike in every column but the id differ.
  EXPECT_NE(db_->execAndGet("SELECT hex(hash) FROM events WHERE id = 1").getString(),
            db_->execAndGet("SELECT hex(hash) FROM events WHERE id = 2").getString());
}

TEST_F(AuditChain, AnUpdateOrDeleteIsStillRefusedWhileTheTriggersStand) {
  add_events(2);
  EXPECT_THROW(db_->exec("UPDATE events SET detail = 'nothing happened' WHERE id = 1"), SQLite::Exception);
  EXPECT_THROW(db_->exec("UPDATE events SET hash = NULL WHERE id = 1"), SQLite::Exception);
  EXPECT_THROW(db_->exec("DELETE FROM events WHERE id = 2"), SQLite::Exception);
  EXPECT_EQ(verify_audit_chain(*db_).broken, "");
}

TEST_F(AuditChain, ARowChangedWithTheTriggersDroppedIsFoundAndNamed) {
  add_events(5);
  tamper("UPDATE events SET detail = 'nothing happened' WHERE id = 3");
  auto verdict = verify_audit_chain(*db_);
  EXPECT_EQ(verdict.broken_id, 3);
  EXPECT_EQ(verdict.events, 2);
  EXPECT_EQ(verdict.broken,
            "event 3 (2025-11-30 14:03:24 UTC, case_action) does not match the chain: it was changed, or an event "
            "before it was removed");
}

TEST_F(AuditChain, EvenAHashRecomputedForTheChangedRowBreaksAtTheNextOne) {
  add_events(4);
  // Whoever changes a row and recomputes its hash still leaves the next row pointing at the old one.
  tamper("UPDATE events SET actor = 'nobody' WHERE id = 2");
  {
    SQLite::Database raw(file_.path(), SQLite::OPEN_READWRITE);
    register_audit_chain(raw);
    raw.exec(std::string("UPDATE events SET hash = lantern_event_hash((SELECT hash FROM events WHERE id = 1), ") +
             chained_event_columns + ") WHERE id = 2");
  }
  EXPECT_EQ(verify_audit_chain(*db_).broken_id, 3);
}

TEST_F(AuditChain, ARowRemovedFromTheMiddleIsFound) {
  add_events(5);
  tamper("DELETE FROM events WHERE id = 2");
  auto verdict = verify_audit_chain(*db_);
  EXPECT_EQ(verdict.broken_id, 3);
  EXPECT_EQ(verdict.broken,
            "event 3 (2025-11-30 14:03:24 UTC, case_action) follows event 1: the events between were removed");
}

TEST_F(AuditChain, TheLastRowsRemovedAreFoundThroughTheIdSequence) {
  add_events(5);
  tamper("DELETE FROM events WHERE id >= 4");
  auto verdict = verify_audit_chain(*db_);
  EXPECT_EQ(verdict.broken, "the last 2 events (up to event 5) were removed: the trail ends at event 3");
  tamper("DELETE FROM events WHERE id = 3");
  EXPECT_EQ(verify_audit_chain(*db_).broken,
            "the last 3 events (up to event 5) were removed: the trail ends at event 2");
}

TEST_F(AuditChain, ARowWrittenWithTheChainsTriggerDroppedIsFound) {
  add_events(2);
  tamper(
      "DROP TRIGGER events_chain; INSERT INTO events (recorded_at_ms, kind, actor) VALUES (1764511409000, "
      "'case_action', 'x')");
  EXPECT_EQ(verify_audit_chain(*db_).broken,
            "event 3 (2025-11-30 14:03:29 UTC, case_action) has no hash: written with the chain's trigger dropped");
}

TEST(AuditChainMigration, EventsStoredBeforeTheChainAreChainedWhenItComes) {
  testing::temp_database file;
  auto db = open_database(file.path());
  migrate(*db, 11);  // the schema before the chain
  for (int i = 0; i < 3; ++i)
    db->exec(
        "INSERT INTO events (recorded_at_ms, kind, actor, payload) VALUES (1764511402000, 'centre_import', 'admin', "
        "'{}')");
  migrate(*db);
  auto verdict = verify_audit_chain(*db);
  EXPECT_EQ(verdict.broken, "");
  EXPECT_EQ(verdict.events, 3);
  db->exec("INSERT INTO events (recorded_at_ms, kind, actor) VALUES (1764511403000, 'case_action', 'amira')");
  EXPECT_EQ(verify_audit_chain(*db).events, 4) << "new rows chain on from the migrated ones";
}

}  // namespace
}  // namespace lantern
