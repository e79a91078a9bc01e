// A reconnect storm at a size that fits in CI: 200 devices come back from an outage within
// 2 s, each with 3 alarms it could not send. Every alarm is stored exactly once and acked,
// and an alarm from a device outside the storm, raised in the middle of it, reaches the
// operator's console. (How fast, at 20,000 devices, is a benchmark's question.)
#include "console_client.hpp"
#include "device_client.hpp"
#include "server_process.hpp"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fstream>
#include <future>
#include <regex>
#include <set>

namespace lantern::testing {
namespace {

namespace json = boost::json;

TEST(Storm, EveryBackloggedAlarmIsStoredOnceAndAnUnaffectedDevicesAlarmStillGetsThrough) {
  temp_dir dir;
  auto db = sim_fleet_database(dir, 201);
  server_process server(db);
  auto port = server.http_port();
  console_client console(port, login(port, "sim-operator", "sim-operator-password"));
  ASSERT_TRUE(console.next());  // the snapshot

  // sim-1 .. sim-200 storm back; sim-201 was never away.
  auto storm = std::async(std::launch::async, [&] {
    return run_program(LANTERN_SIM, {"--centre", dir.file("fleet.json"), "--port", std::to_string(server.device_port()),
                                     "--devices", "200", "--storm", "3", "--storm-window", "2", "--alarm-rate", "0",
                                     "--duration", "1", "--drain", "60", "--acked-log", dir.file("acked.txt")});
  });
  device_client calm(server.device_port());
  ASSERT_TRUE(calm.hello("sim-201", "sim-token-201-lantern").has_welcome());
  std::this_thread::sleep_for(std::chrono::seconds(1));  // the storm is under way
  ASSERT_TRUE(calm.alarm(1, "fall", "on the stairs").has_ack());
  EXPECT_TRUE(console.next_update_where([](const json::object& c) {
    return c.at("device_id").as_string() == "sim-201" && c.at("alarm_type").as_string() == "fall";
  }));

  auto result = storm.get();
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("unacked at end 0"), std::string::npos) << result.output;
  std::ifstream acked(dir.file("acked.txt"));
  std::set<std::string> lines;
  for (std::string line; std::getline(acked, line);) lines.insert(line);
  EXPECT_EQ(lines.size(), 600u);

  SQLite::Database database(db, SQLite::OPEN_READONLY);
  EXPECT_EQ(database.execAndGet("SELECT count(*) FROM events WHERE kind = 'alarm' AND device_id <> 'sim-201'").getInt(),
            600);
  EXPECT_EQ(
      database.execAndGet("SELECT count(DISTINCT device_id || ':' || device_seq) FROM events WHERE kind = 'alarm'")
          .getInt(),
      601);
}

// The simulator starts its alarms once it has counted a connect for every device, and one that
// reconnects counts again. A storm's late riser then first looked at its schedule after the
// alarms began, and sent one alarm for every second since the machine booted: 152,461 DC-09
// alarms in a 4 s run of Dc09Sim's test, once. Half the devices here cut their frames and
// reconnect; DC-09 units and devices on Lantern's own link alike.
TEST(Storm, ADeviceThatComesInAfterTheAlarmsBeganSendsAtTheRateFromThen) {
  for (std::string protocol : {"dc09", "lantern"}) {
    temp_dir dir;
    auto db = sim_fleet_database(dir, 20, {"--protocol", protocol});
    server_process server(db, {"--dc09-port", "0"});
    auto port = protocol == "dc09" ? server.dc09_port() : server.device_port();
    auto result = run_program(LANTERN_SIM, {"--centre",       dir.file("fleet.json"),
                                            "--protocol",     protocol,
                                            "--port",         std::to_string(port),
                                            "--faults",       "midframe",
                                            "--fault-share",  "50",
                                            "--storm",        "1",
                                            "--storm-window", "6",
                                            "--alarm-rate",   "20",
                                            "--duration",     "4",
                                            "--heartbeat",    "0.2",
                                            "--ack-timeout",  "1",
                                            "--drain",        "30"});
    ASSERT_EQ(result.exit_code, 0) << protocol << "\n" << result.output;
    std::smatch sent;
    ASSERT_TRUE(std::regex_search(result.output, sent, std::regex("alarms +sent ([0-9]+)"))) << result.output;
    // The backlog (one a device) and 20 a second for 4 s, with room for chance: not thousands.
    EXPECT_LE(std::stoi(sent[1]), 20 + 3 * 20 * 4) << protocol << "\n" << result.output;
    EXPECT_NE(result.output.find("unacked at end 0"), std::string::npos) << protocol << "\n" << result.output;
  }
}

}  // namespace
}  // namespace lantern::testing
