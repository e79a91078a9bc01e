// The WAL's room written out before the first commit (store/wal_room): commits overwrite it
// in place, and nothing committed is lost or confused with the zeros, after a crash either.
#include "store/wal_room.hpp"
#include "file_size_limit.hpp"
#include "notes_table.hpp"
#include "store/database.hpp"
#include "test_database.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

namespace lantern::testing {
namespace {

constexpr std::int64_t room = 1 << 20;

// `commits` transactions of ten rows each.
void commit_notes(SQLite::Database& db, int first, int commits) {
  for (int c = 0; c < commits; ++c) insert_notes(db, first + c * 10, 10);
}

// Checkpoints and returns how many frames the WAL holds.
int wal_frames_after_checkpoint(SQLite::Database& db) {
  SQLite::Statement checkpoint(db, "PRAGMA wal_checkpoint(PASSIVE)");
  checkpoint.executeStep();
  return checkpoint.getColumn(1).getInt();
}

std::string wal_of(const std::string& db) { return db + "-wal"; }

// Bytes the file system has given the file (a sparse file has fewer than its length).
std::int64_t allocated(const std::string& path) {
  struct stat s {};
  return ::stat(path.c_str(), &s) == 0 ? std::int64_t{s.st_blocks} * 512 : -1;
}

// What a power cut leaves: the database and WAL files as they are on disk, no shared memory.
std::filesystem::path copy_as_after_a_crash(const temp_database& file) {
  auto copy = file.folder() / "after-crash";
  std::filesystem::create_directories(copy);
  std::filesystem::copy_file(file.path(), copy / "lantern.db");
  std::filesystem::copy_file(wal_of(file.path()), copy / "lantern.db-wal");
  return copy / "lantern.db";
}

TEST(WalRoom, TheRoomIsWrittenOutAndCommitsOverwriteItWithoutGrowingTheFile) {
  temp_database file;
  auto writer = open_database(file.path(), wal_writes::gathered);
  writer->exec("PRAGMA wal_autocheckpoint=0");
  make_notes_table(*writer);
  ASSERT_LT(std::filesystem::file_size(wal_of(file.path())), room);

  EXPECT_EQ(reserve_wal_room(*writer, room), "");
  EXPECT_EQ(std::filesystem::file_size(wal_of(file.path())), room);
  EXPECT_GE(allocated(wal_of(file.path())), room) << "written, not a hole the first commits fill";

  commit_notes(*writer, 0, 50);  // some 500 KiB of frames
  EXPECT_EQ(std::filesystem::file_size(wal_of(file.path())), room);
  auto reader = open_database(file.path());
  EXPECT_EQ(count_notes(*reader), 500);
  EXPECT_EQ(reader->execAndGet("PRAGMA integrity_check").getString(), "ok");
}

// Zeros go only past the file's end: frames already there (committed before the room was
// made) are kept, and every commit, before and after, is there after a crash.
TEST(WalRoom, AfterACrashEveryCommitIsRecoveredAndTheZerosAreNotTakenForFrames) {
  temp_database file;
  auto writer = open_database(file.path());
  writer->exec("PRAGMA wal_autocheckpoint=0");
  make_notes_table(*writer);
  commit_notes(*writer, 0, 10);
  EXPECT_EQ(reserve_wal_room(*writer, room), "");
  commit_notes(*writer, 1000, 10);

  auto copy = copy_as_after_a_crash(file);
  auto recovered = open_database(copy.string());
  EXPECT_EQ(count_notes(*recovered), 200);
  EXPECT_EQ(recovered->execAndGet("SELECT count(*) FROM notes WHERE id BETWEEN 1000 AND 1099").getInt64(), 100);
  EXPECT_EQ(recovered->execAndGet("PRAGMA integrity_check").getString(), "ok");
}

// Once a checkpoint has copied every frame the WAL starts afresh at its beginning: the old
// frames after the new ones are not recovered either, and the file keeps its length.
TEST(WalRoom, AWalStartedAfreshInsideItsRoomRecoversOnlyItsNewFrames) {
  temp_database file;
  auto writer = open_database(file.path());
  writer->exec("PRAGMA wal_autocheckpoint=0");
  make_notes_table(*writer);
  EXPECT_EQ(reserve_wal_room(*writer, room), "");
  commit_notes(*writer, 0, 40);
  auto frames_before = wal_frames_after_checkpoint(*writer);
  writer->exec("DELETE FROM notes WHERE id >= 200");  // the next commit starts the WAL afresh
  commit_notes(*writer, 5000, 1);
  EXPECT_EQ(std::filesystem::file_size(wal_of(file.path())), room);

  auto copy = copy_as_after_a_crash(file);
  EXPECT_LT(wal_frames_after_checkpoint(*writer), frames_before) << "the WAL started afresh (else it holds both)";
  auto recovered = open_database(copy.string());
  EXPECT_EQ(count_notes(*recovered), 210);
  EXPECT_EQ(recovered->execAndGet("SELECT count(*) FROM notes WHERE id >= 200 AND id < 5000").getInt64(), 0);
  EXPECT_EQ(recovered->execAndGet("PRAGMA integrity_check").getString(), "ok");
}

// A disk without the room (here: a file-size limit): an error that says so, the WAL at its
// old length, and commits go on as before.
TEST(WalRoom, RoomTheDiskCannotGiveIsGivenBackAndCommitsGoOn) {
  temp_database file;
  auto writer = open_database(file.path(), wal_writes::gathered);
  make_notes_table(*writer);
  commit_notes(*writer, 0, 2);
  auto before = std::filesystem::file_size(wal_of(file.path()));

  std::string why;
  {
    file_size_limit full(before + 256 * 1024);
    why = reserve_wal_room(*writer, room);
  }

  EXPECT_NE(why.find("cannot write the WAL's room"), std::string::npos) << why;
  EXPECT_EQ(std::filesystem::file_size(wal_of(file.path())), before);
  commit_notes(*writer, 100, 2);
  auto reader = open_database(file.path());
  EXPECT_EQ(count_notes(*reader), 40);
}

TEST(WalRoom, AWalAlreadyThatLongIsLeftAsItIs) {
  temp_database file;
  auto writer = open_database(file.path());
  writer->exec("PRAGMA wal_autocheckpoint=0");
  make_notes_table(*writer);
  commit_notes(*writer, 0, 30);
  auto before = std::filesystem::file_size(wal_of(file.path()));
  EXPECT_EQ(reserve_wal_room(*writer, 4096), "");
  EXPECT_EQ(std::filesystem::file_size(wal_of(file.path())), before);
  EXPECT_EQ(count_notes(*open_database(file.path())), 300);
}

}  // namespace
}  // namespace lantern::testing
