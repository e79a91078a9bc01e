// The stored seqs without a unique index: what is held in memory is found, is written in
// rounds a share at a time, and comes back from the events after a crash.
#include "store/seq_ledger.hpp"
#include "store/database.hpp"
#include "test_database.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace lantern {
namespace {

using std::chrono::seconds;

class SeqLedgerTest : public ::testing::Test {
 protected:
  SeqLedgerTest() : db(open_database(file.path())) { migrate(*db); }

  // An alarm row as the journal stores it; its id.
  std::int64_t store_event(const seq_key& key, int reuse = 0) {
    SQLite::Statement insert(*db, R"(INSERT INTO events (recorded_at_ms, kind, device_id, device_seq, device_epoch,
        seq_reuse, alarm_type, occurred_at_ms, detail) VALUES (1, 'alarm', ?, ?, ?, ?, 'pendant', 1, ''))");
    insert.bind(1, key.device_id);
    insert.bind(2, static_cast<std::int64_t>(key.seq));
    insert.bind(3, static_cast<std::int64_t>(key.epoch));
    insert.bind(4, reuse);
    insert.exec();
    return db->getLastInsertRowid();
  }
  int count(const std::string& sql) { return db->execAndGet(sql).getInt(); }
  std::int64_t written_through() {
    return db->execAndGet("SELECT through_event_id FROM alarm_seqs_written").getInt64();
  }

  testing::temp_database file;
  std::unique_ptr<SQLite::Database> db;
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
};

TEST_F(SeqLedgerTest, ASeqAboveTheDevicesHighestIsNewAndOneAtOrBelowItIsLookedUp) {
  seq_ledger seqs(*db);
  seq_key five{"dev-1", 7, 5};
  EXPECT_FALSE(seqs.may_be_stored(five));
  seqs.add(five, 0, store_event(five));
  EXPECT_TRUE(seqs.may_be_stored(five));
  EXPECT_TRUE(seqs.may_be_stored({"dev-1", 7, 3})) << "below the highest: it may have been stored";
  EXPECT_TRUE(seqs.stored_under({"dev-1", 7, 3}).empty());
  EXPECT_FALSE(seqs.may_be_stored({"dev-1", 7, 6}));
  EXPECT_FALSE(seqs.may_be_stored({"dev-1", 8, 5})) << "another epoch";
  EXPECT_FALSE(seqs.may_be_stored({"dev-2", 7, 5})) << "another device";
  // The server's own seqs for a device's alarms (supervision) do not raise its highest.
  seq_key server{"dev-1", 7, (std::uint64_t(1) << 62) + 9};
  EXPECT_TRUE(seqs.may_be_stored(server)) << "the server's range is always looked up";
  seqs.add(server, 0, store_event(server));
  EXPECT_FALSE(seqs.may_be_stored({"dev-1", 7, 6}));
  ASSERT_EQ(seqs.stored_under(server).size(), 1u);
}

TEST_F(SeqLedgerTest, ARoundIsWrittenAShareAtATimeAndItsMarkMovesOnlyWithItsLastSeq) {
  seq_ledger seqs(*db);
  std::int64_t last = 0;
  for (std::uint64_t seq = 1; seq <= 10; ++seq) {
    seq_key key{"dev-" + std::to_string(seq % 3), 0, seq};
    last = store_event(key);
    seqs.add(key, 0, last);
  }
  auto before = written_through();
  seqs.write_some(4, t0 + seconds(5));
  EXPECT_EQ(count("SELECT count(*) FROM alarm_seqs"), 4);
  EXPECT_EQ(written_through(), before) << "the round is not whole yet";
  // Written or not, every seq is found.
  for (std::uint64_t seq = 1; seq <= 10; ++seq) {
    auto found = seqs.stored_under({"dev-" + std::to_string(seq % 3), 0, seq});
    ASSERT_EQ(found.size(), 1u) << seq;
  }
  seq_key later{"dev-9", 0, 1};
  auto later_id = store_event(later);
  seqs.add(later, 0, later_id);  // after the round began: the next round's
  seqs.write_some(4, t0 + seconds(5));
  seqs.write_some(4, t0 + seconds(5));
  EXPECT_EQ(count("SELECT count(*) FROM alarm_seqs"), 10);
  EXPECT_EQ(written_through(), last);
  seqs.write_some(4, t0 + seconds(5));
  EXPECT_EQ(count("SELECT count(*) FROM alarm_seqs"), 10) << "the next round waits a second";
  seqs.write_some(4, t0 + seconds(6));
  EXPECT_EQ(count("SELECT count(*) FROM alarm_seqs"), 11);
  EXPECT_EQ(written_through(), later_id);
  ASSERT_EQ(seqs.stored_under(later).size(), 1u);
  EXPECT_EQ(seqs.held(), 0u);
}

TEST_F(SeqLedgerTest, SeqsNeverWrittenComeBackFromTheEventsAfterACrash) {
  seq_key key{"dev-1", 2, 40};
  {
    seq_ledger seqs(*db);
    seqs.add(key, 0, store_event(key));
    seqs.add({"dev-1", 2, 40}, 1, store_event(key, 1));
    // No round written: as if the server were killed here.
  }
  auto other = open_database(file.path());
  seq_ledger after(*other);
  EXPECT_TRUE(after.may_be_stored(key));
  auto found = after.stored_under(key);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[1].reuse, 1);
  EXPECT_FALSE(after.may_be_stored({"dev-1", 2, 41}));
  EXPECT_EQ(count("SELECT count(*) FROM alarm_seqs"), 2) << "made again from the events at start";
}

TEST_F(SeqLedgerTest, AfterAFailedCommitWhatWasHeldIsForgottenAndOnlyWhatIsStoredComesBack) {
  seq_ledger seqs(*db);
  seq_key stored{"dev-1", 0, 1};
  seqs.add(stored, 0, store_event(stored));
  // Held, but its event was rolled back with the commit that failed.
  seqs.add({"dev-1", 0, 2}, 0, 999);
  seqs.forget();
  EXPECT_FALSE(seqs.may_be_stored({"dev-1", 0, 2}));
  EXPECT_TRUE(seqs.stored_under({"dev-1", 0, 2}).empty());
  EXPECT_EQ(seqs.stored_under(stored).size(), 1u);
}

TEST_F(SeqLedgerTest, TheMigrationCarriesEveryStoredSeqAcrossAndDropsTheIndex) {
  testing::temp_database old_file;
  auto old = open_database(old_file.path());
  migrate(*old, 13);
  old->exec(R"(INSERT INTO events (recorded_at_ms, kind, device_id, device_seq, device_epoch, seq_reuse)
      VALUES (1, 'alarm', 'dev-1', 3, 0, 0), (2, 'alarm', 'dev-1', 3, 0, 1), (3, 'centre_import', NULL, NULL, 0, 0))");
  migrate(*old);
  EXPECT_EQ(old->execAndGet("SELECT count(*) FROM alarm_seqs").getInt(), 2);
  EXPECT_EQ(old->execAndGet("SELECT through_event_id FROM alarm_seqs_written").getInt(), 3);
  EXPECT_EQ(old->execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'events_device_seq'").getInt(), 0);
  seq_ledger seqs(*old);
  EXPECT_EQ(seqs.stored_under({"dev-1", 0, 3}).size(), 2u);
}

}  // namespace
}  // namespace lantern
