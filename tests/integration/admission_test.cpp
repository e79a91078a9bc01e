// The device port's admission limits against a real lantern-server: past the connection
// limit a connection is refused; past the handshake limits the oldest silent one makes way;
// past the per-device event rate an event is nacked RATE_LIMITED (and taken again once the
// rate allows); each is counted.
#include "console_client.hpp"
#include "device_client.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <future>
#include <thread>

namespace lantern::testing {
namespace {

using namespace std::chrono_literals;

bool metric_says(unsigned short port, const std::string& line) {
  return http_request(port, "GET", "/metrics").body.find(line) != std::string::npos;
}

class Admission : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(import_centre(db(), demo_centre()).exit_code, 0); }
  std::string db() const { return dir_.file("lantern.db"); }
  temp_dir dir_;
};

TEST_F(Admission, ConnectionsPastTheLimitAreRefused) {
  server_process server(db(), {"--max-device-connections", "2"});
  device_client first(server.device_port()), second(server.device_port());
  ASSERT_TRUE(first.hello("dev-100231", "demo-token-100231").has_welcome());
  ASSERT_TRUE(second.hello("dev-100232", "demo-token-100232").has_welcome());
  device_client third(server.device_port());
  EXPECT_TRUE(third.closed_by_server());
  EXPECT_TRUE(metric_says(server.metrics_port(), "lantern_device_admission_refused_total{limit=\"connections\"} 1"));
  // The two admitted go on working.
  EXPECT_TRUE(first.alarm(1, "pendant").has_ack());
}

TEST_F(Admission, AtTheHandshakeLimitTheOldestSilentConnectionMakesWay) {
  server_process server(db(), {"--max-handshakes", "1"});
  device_client silent(server.device_port());  // connected, no hello yet
  std::this_thread::sleep_for(200ms);
  device_client newer(server.device_port());
  EXPECT_TRUE(silent.closed_by_server());
  EXPECT_TRUE(newer.hello("dev-100232", "demo-token-100232").has_welcome());
  EXPECT_TRUE(metric_says(server.metrics_port(), "lantern_device_admission_refused_total{limit=\"handshakes\"} 1"));
}

// Thousands of connections that never say hello, all from one address, cannot lock out a
// real device from another (how long its welcome took is in tests/bench/fleet.sh, not here).
TEST_F(Admission, IdleConnectionsFromOneAddressDoNotLockOutARealDevice) {
  server_process server(db());
  auto idle = idle_connections("127.0.0.2", server.device_port(), 5000);
  ASSERT_EQ(idle.size(), 5000u);
  for (int attempt = 0; attempt < 3; ++attempt) {
    device_client device(server.device_port());
    auto answer = device.hello("dev-100231", "demo-token-100231");
    EXPECT_TRUE(answer.has_welcome()) << "attempt " << attempt << ": " << answer.ShortDebugString();
    EXPECT_TRUE(device.alarm(static_cast<std::uint64_t>(attempt + 1), "pendant").has_ack());
  }
  auto metrics = http_request(server.metrics_port(), "GET", "/metrics").body;
  EXPECT_NE(metrics.find("lantern_device_admission_refused_total{limit=\"handshakes_per_source\"} 3976"),
            std::string::npos)
      << "5,000 from one address past its 1,024: the oldest 3,976 made way";
  for (int fd : idle) close(fd);
}

TEST_F(Admission, ADeviceOverItsEventRateIsToldToResendAndNothingIsLost) {
  server_process server(db(), {"--device-rate", "5"});  // bursts of 10
  device_client device(server.device_port());
  ASSERT_TRUE(device.hello("dev-100231", "demo-token-100231").has_welcome());
  for (std::uint64_t seq = 1; seq <= 30; ++seq) device.send(alarm_message(seq, "pendant"));
  std::vector<std::uint64_t> limited;
  int acked = 0;
  for (int i = 0; i < 30; ++i) {
    auto answer = device.receive();
    ASSERT_TRUE(answer);
    if (answer->has_ack()) ++acked;
    if (answer->has_nack()) {
      EXPECT_EQ(answer->nack().reason(), lantern::device::v1::Nack::RATE_LIMITED);
      limited.push_back(answer->nack().seq());
    }
  }
  EXPECT_GE(acked, 10);
  EXPECT_FALSE(limited.empty());
  EXPECT_TRUE(metric_says(server.metrics_port(), "lantern_device_admission_refused_total{limit=\"event_rate\"} " +
                                                     std::to_string(limited.size())));
  // Re-sent at the allowed pace, every one is taken.
  for (auto seq : limited) {
    std::this_thread::sleep_for(250ms);
    EXPECT_TRUE(device.alarm(seq, "pendant").has_ack()) << "seq " << seq;
  }
}

}  // namespace
}  // namespace lantern::testing

namespace lantern::testing {
namespace {

// After a restart the whole fleet queues for token checks; an operator's login has its own
// worker and does not wait for the fleet to be in.
TEST(LoginQueue, AnOperatorLogsInWhileTheFleetIsStillQueuedForTokenChecks) {
  temp_dir dir;
  auto db = sim_fleet_database(dir, 400);
  server_process server(db);
  auto fleet = std::async(std::launch::async, [&] {
    return run_program(LANTERN_SIM, {"--centre", dir.file("fleet.json"), "--port", std::to_string(server.device_port()),
                                     "--alarm-rate", "0", "--duration", "1", "--drain", "5"});
  });
  // 400 checks at several milliseconds each, on a thread or two: seconds of queue.
  std::this_thread::sleep_for(300ms);
  auto cookie = login(server.http_port(), "sim-operator", "sim-operator-password");
  EXPECT_FALSE(cookie.empty());
  auto metrics = http_request(server.metrics_port(), "GET", "/metrics").body;
  auto at = metrics.find("\nlantern_devices_connected ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_LT(std::stoi(metrics.substr(at + 27)), 400) << "the login waited for every device's token check";
  auto result = fleet.get();
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("(connects 400,"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace lantern::testing
