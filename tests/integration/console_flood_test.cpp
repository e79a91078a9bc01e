// A logged-in console that sends resync after resync and never reads once grew the server
// by a gigabyte and slowed every other console. Now it is closed, the server's memory stays
// within a bound, and another console misses nothing.
#include "console_client.hpp"
#include "device_client.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <thread>

namespace lantern::testing {
namespace {

std::uint64_t version_of(const boost::json::value& v) {
  return v.is_string() ? std::stoull(std::string(v.as_string())) : v.to_number<std::uint64_t>();
}

TEST(ConsoleFlood, AConsoleFloodingResyncsIsClosedAndAnotherMissesNothing) {
  temp_dir dir;
  auto db = demo_database(dir);
  server_process server(db);
  auto port = server.http_port();

  // Cases on the floor, so that every snapshot is worth something.
  const std::vector<std::string> units{"100231", "100232", "200002"};
  for (const auto& unit : units) {
    device_client device(server.device_port());
    ASSERT_TRUE(device.hello("dev-" + unit, "demo-token-" + unit).has_welcome());
    ASSERT_TRUE(device.alarm(1, "pendant").has_ack());
  }

  console_client watcher(port, login(port, "olu", "lantern-demo-olu"));
  auto snapshot = watcher.next_where([](const boost::json::object& m) { return m.contains("snapshot"); });
  ASSERT_TRUE(snapshot);
  auto version = version_of(snapshot->at("snapshot").at("version"));
  auto memory_before = server.resident_kib();

  {
    console_client flooder(port, login(port, "amira", "lantern-demo-amira"), 4096);
    int sent = 0;
    try {
      for (; sent < 4000; ++sent) flooder.send(R"({"type":"resync"})");
    } catch (const std::exception&) {
      // The server closed it: writes fail from here on.
    }
    EXPECT_TRUE(server.said("console of 'amira' closed: more than 100 commands a second")) << "sent " << sent;
  }
  // Alarms while and after the flood: the other console sees each one, in order.
  for (std::uint64_t seq = 2; seq <= 6; ++seq) {
    device_client device(server.device_port());
    ASSERT_TRUE(device.hello("dev-100231", "demo-token-100231").has_welcome());
    ASSERT_TRUE(device.alarm(seq, seq % 2 ? "fall" : "pendant").has_ack());
  }
  auto memory_after = server.resident_kib();
  EXPECT_LT(memory_after - memory_before, 64 * 1024)
      << "the server grew from " << memory_before << " to " << memory_after << " KiB";

  int updates = 0;
  while (auto message = watcher.next()) {
    const auto& m = message->as_object();
    if (const auto* update = m.if_contains("update")) {
      auto next = version_of(update->at("version"));
      EXPECT_EQ(next, version + 1) << "a gap in the other console's updates";
      version = next;
      ++updates;
    }
    if (updates >= 5) break;
  }
  EXPECT_GE(updates, 5) << "the other console saw every alarm";
  EXPECT_NE(
      http_request(server.metrics_port(), "GET", "/metrics").body.find("lantern_consoles_closed_flooding_total 1"),
      std::string::npos);
}

}  // namespace
}  // namespace lantern::testing
