// Devices that misbehave (lantern-sim's fault mode): duplicate frames, links dropped in the
// middle of a frame, one-byte-a-second writers, garbage. No alarm is lost or stored twice,
// the server stays up, and a well-behaved device's alarm still gets through meanwhile.
#include "device_client.hpp"
#include "server_process.hpp"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <regex>
#include <set>

namespace lantern::testing {
namespace {

TEST(Faults, MisbehavingDevicesLoseNothingAndDoubleNothing) {
  temp_dir dir;
  auto db = sim_fleet_database(dir, 41);
  server_process server(db);

  // Every other one of sim-1 .. sim-40 misbehaves, five in each way; the rest are honest.
  auto faulty = std::async(std::launch::async, [&] {
    return run_program(LANTERN_SIM, {"--centre",      dir.file("fleet.json"),
                                     "--port",        std::to_string(server.device_port()),
                                     "--devices",     "40",
                                     "--faults",      "all",
                                     "--fault-share", "50",
                                     "--alarm-rate",  "40",
                                     "--duration",    "4",
                                     "--heartbeat",   "2",
                                     "--ack-timeout", "1",
                                     "--drain",       "60",
                                     "--acked-log",   dir.file("acked.txt")});
  });
  device_client calm(server.device_port());
  ASSERT_TRUE(calm.hello("sim-41", "sim-token-41-lantern").has_welcome());
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_TRUE(calm.alarm(1, "fall", "while others misbehave").has_ack());

  auto result = faulty.get();
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("unacked at end 0"), std::string::npos) << result.output;
  std::smatch injected;
  ASSERT_TRUE(std::regex_search(result.output, injected, std::regex("faults +injected ([0-9]+)"))) << result.output;
  EXPECT_GT(std::stoi(injected[1]), 10) << result.output;
  std::smatch sent;
  ASSERT_TRUE(std::regex_search(result.output, sent, std::regex("alarms +sent ([0-9]+)"))) << result.output;

  std::ifstream acked(dir.file("acked.txt"));
  std::set<std::string> lines;
  for (std::string line; std::getline(acked, line);) lines.insert(line);
  EXPECT_EQ(lines.size(), std::stoul(sent[1]));
  SQLite::Database database(db, SQLite::OPEN_READONLY);
  auto stored = database.execAndGet("SELECT count(*) FROM events WHERE kind = 'alarm' AND device_id <> 'sim-41'");
  EXPECT_EQ(stored.getInt(), std::stoi(sent[1]));
  EXPECT_EQ(database
                .execAndGet("SELECT count(DISTINCT device_id || ':' || device_seq) FROM events "
                            "WHERE kind = 'alarm' AND device_id <> 'sim-41'")
                .getInt(),
            std::stoi(sent[1]));

  // Still serving after all of it.
  device_client after(server.device_port());
  ASSERT_TRUE(after.hello("sim-41", "sim-token-41-lantern").has_welcome());
  EXPECT_TRUE(after.alarm(2, "pendant", "after the faults").has_ack());
}

}  // namespace
}  // namespace lantern::testing
