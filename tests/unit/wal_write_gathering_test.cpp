// The journal writer's WAL writes, gathered into one per commit (store/wal_write_gathering):
// fewer system calls, and nothing else different for anyone reading the database.
#include "file_size_limit.hpp"
#include "notes_table.hpp"
#include "store/database.hpp"
#include "test_database.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace lantern::testing {
namespace {

// This process's write system calls so far (pwrite included), from /proc.
long writes_so_far() {
  std::ifstream io("/proc/self/io");
  std::string key;
  long value = 0;
  while (io >> key >> value)
    if (key == "syscw:") return value;
  return -1;
}

TEST(WalWriteGathering, ACommitOfManyPagesIsOneWriteWhereDirectWritesTakeTwoAPage) {
  temp_database file;
  auto setup = open_database(file.path());
  make_notes_table(*setup);
  insert_notes(*setup, 0, 10);  // the WAL exists and has its header

  auto direct = open_database(file.path());
  auto before = writes_so_far();
  insert_notes(*direct, 100, 100);
  auto direct_writes = writes_so_far() - before;

  auto gathered = open_database(file.path(), wal_writes::gathered);
  before = writes_so_far();
  insert_notes(*gathered, 1000, 100);
  auto gathered_writes = writes_so_far() - before;

  ASSERT_GE(before, 0) << "no syscw in /proc/self/io";
  EXPECT_GE(direct_writes, 100) << "a frame is a header and a page";
  EXPECT_LE(gathered_writes, 2);
  EXPECT_EQ(count_notes(*setup), 210);
}

TEST(WalWriteGathering, AnotherConnectionSeesEveryCommitAsItReturnsAcrossCheckpoints) {
  temp_database file;
  auto writer = open_database(file.path(), wal_writes::gathered);
  writer->exec("PRAGMA wal_autocheckpoint=0");
  make_notes_table(*writer);
  auto reader = open_database(file.path());
  for (int round = 0; round < 30; ++round) {
    insert_notes(*writer, round * 20, 20);
    EXPECT_EQ(count_notes(*reader), (round + 1) * 20) << "round " << round;
    // Now and then the WAL is copied and started afresh: the next commit writes its header
    // again, from the file's start.
    if (round % 7 == 6) reader->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  EXPECT_EQ(reader->execAndGet("PRAGMA integrity_check").getString(), "ok");
  EXPECT_EQ(reader->execAndGet("SELECT text FROM notes WHERE id = 599").getString(), std::string(500, 'a' + 599 % 26));
}

TEST(WalWriteGathering, ATransactionBiggerThanTheCacheReadsBackWhatItSpilled) {
  temp_database file;
  auto writer = open_database(file.path(), wal_writes::gathered);
  make_notes_table(*writer);
  writer->exec("PRAGMA cache_size=16");  // pages: the transaction spills to the WAL and reads back
  {
    SQLite::Transaction t(*writer);
    SQLite::Statement insert(*writer, "INSERT INTO notes VALUES (?, ?)");
    for (int i = 0; i < 2000; ++i) {
      insert.bind(1, i);
      insert.bind(2, std::string(300, static_cast<char>('a' + i % 26)));
      insert.exec();
      insert.reset();
    }
    writer->exec("UPDATE notes SET text = 'changed ' || id WHERE id % 10 = 0");
    EXPECT_EQ(writer->execAndGet("SELECT text FROM notes WHERE id = 1230").getString(), "changed 1230");
    t.commit();
  }
  auto reader = open_database(file.path());
  EXPECT_EQ(count_notes(*reader), 2000);
  EXPECT_EQ(reader->execAndGet("SELECT text FROM notes WHERE id = 20").getString(), "changed 20");
  EXPECT_EQ(reader->execAndGet("SELECT text FROM notes WHERE id = 21").getString(), std::string(300, 'a' + 21 % 26));
  EXPECT_EQ(reader->execAndGet("PRAGMA integrity_check").getString(), "ok");
}

// The gathered frames meet a full disk at the commit's sync (here: a file-size limit): the
// commit fails, nothing of it is stored, and the next commit, with room again, works.
TEST(WalWriteGathering, AWriteThatFailsAtTheSyncFailsTheCommitAndStoresNothing) {
  temp_database file;
  auto writer = open_database(file.path(), wal_writes::gathered);
  writer->exec("PRAGMA wal_autocheckpoint=0");
  make_notes_table(*writer);
  insert_notes(*writer, 0, 5);
  auto wal_size = std::filesystem::file_size(file.path() + "-wal");

  {
    file_size_limit full(wal_size + 16 * 1024);
    EXPECT_THROW(insert_notes(*writer, 100, 200), SQLite::Exception);
  }

  auto reader = open_database(file.path());
  EXPECT_EQ(count_notes(*reader), 5);
  insert_notes(*writer, 1000, 50);
  EXPECT_EQ(count_notes(*reader), 55);
  EXPECT_EQ(reader->execAndGet("SELECT count(*) FROM notes WHERE id BETWEEN 100 AND 299").getInt64(), 0);
  EXPECT_EQ(reader->execAndGet("PRAGMA integrity_check").getString(), "ok");
}

}  // namespace
}  // namespace lantern::testing
