// kill -9 in the middle of a load: every alarm lantern-sim saw acked is stored exactly
// once after the restart, and nothing stored is lost.
#include "server_process.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <map>

extern char** environ;

namespace lantern::testing {
namespace {

TEST(CrashSafety, EveryAckedAlarmIsStoredExactlyOnceAfterAKill9) {
  temp_dir dir;
  auto db = sim_fleet_database(dir, 50);

  auto server = std::make_unique<server_process>(db);
  auto port = std::to_string(server->device_port());

  // lantern-sim runs on by itself for 6 s, re-sending whatever is not acked.
  std::vector<std::string> args{
      LANTERN_SIM,          "--centre", dir.file("fleet.json"), "--port", port,      "--duration", "6",
      "--alarm-rate",       "1500",     "--ack-timeout",        "1",      "--drain", "20",         "--acked-log",
      dir.file("acked.txt")};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, dir.file("sim.out").c_str(), O_WRONLY | O_CREAT, 0644);
  pid_t sim = -1;
  ASSERT_EQ(posix_spawn(&sim, LANTERN_SIM, &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);

  std::this_thread::sleep_for(std::chrono::seconds(3));
  server->kill_hard();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  server = std::make_unique<server_process>(db, std::vector<std::string>{"--device-port", port});

  int status = 0;
  waitpid(sim, &status, 0);
  std::ifstream sim_out(dir.file("sim.out"));
  std::string report((std::istreambuf_iterator<char>(sim_out)), {});
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "some alarm was never acked:\n" << report;
  EXPECT_EQ(server->stop(), 0);

  std::map<std::pair<std::string, std::int64_t>, int> acked;
  std::ifstream log(dir.file("acked.txt"));
  std::string device;
  std::int64_t seq = 0;
  while (log >> device >> seq) acked[{device, seq}]++;
  ASSERT_GT(acked.size(), 1000u) << "the load was too light to mean anything:\n" << report;

  SQLite::Database database(db);
  std::map<std::pair<std::string, std::int64_t>, int> stored;
  SQLite::Statement rows(database, "SELECT device_id, device_seq FROM events WHERE kind = 'alarm'");
  while (rows.executeStep()) stored[{rows.getColumn(0).getString(), rows.getColumn(1).getInt64()}]++;

  for (const auto& [key, times] : acked) {
    auto it = stored.find(key);
    ASSERT_NE(it, stored.end()) << key.first << " seq " << key.second << " was acked but is not stored";
    ASSERT_EQ(it->second, 1) << key.first << " seq " << key.second << " is stored more than once";
  }
  EXPECT_EQ(stored.size(), acked.size()) << "every stored alarm was acked in the end (the sim re-sends until acked)";
  // The desk's projection caught up with every stored alarm after the restart.
  EXPECT_EQ(database.execAndGet("SELECT applied_event_id FROM desk_state").getInt64(),
            database.execAndGet("SELECT max(id) FROM events WHERE kind = 'alarm'").getInt64());
}

}  // namespace
}  // namespace lantern::testing
