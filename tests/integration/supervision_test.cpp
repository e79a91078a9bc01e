// Device supervision against a real lantern-server: a device that goes silent past its
// heartbeat interval × the grace multiplier opens a missed_checkin case on the console, and
// its return closes it with a note; a low battery opens one case, not one per heartbeat;
// last-seen times reach the database; a restart gives every device a full interval of grace;
// the card's view of a device (device_status) tells its last contact, battery and check-in.
#include "console_client.hpp"
#include "device_client.hpp"
#include "server_process.hpp"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <thread>

namespace lantern::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

std::string field(const json::object& o, const char* key) {
  return o.contains(key) ? std::string(o.at(key).as_string()) : std::string();
}

class Supervision : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(
        import_centre(db(), std::string(LANTERN_SOURCE_DIR) + "/tests/integration/supervision-centre.json").exit_code,
        0);
    start_server();
  }
  void start_server() {
    // dev-ann checks in every 10 s; silent for 15 s it has missed its check-in.
    server_ = std::make_unique<server_process>(db(), std::vector<std::string>{"--checkin-grace", "1.5"});
  }
  std::string db() const { return dir_.file("lantern.db"); }

  std::unique_ptr<console_client> amira() {
    auto port = server_->http_port();
    auto c = std::make_unique<console_client>(port, login(port, "amira", "lantern-test-amira"));
    auto snapshot = c->next();
    EXPECT_TRUE(snapshot && snapshot->as_object().contains("snapshot"));
    return c;
  }

  std::unique_ptr<device_client> connect(const std::string& id, const std::string& token) {
    auto device = std::make_unique<device_client>(server_->device_port());
    EXPECT_TRUE(device->hello(id, token).has_welcome());
    return device;
  }

  static void heartbeat(device_client& device, std::uint64_t seq, unsigned battery) {
    lantern::device::v1::DeviceMessage beat;
    beat.mutable_heartbeat()->set_seq(seq);
    beat.mutable_heartbeat()->set_battery_pct(battery);
    device.send(beat);
    auto ack = device.receive();
    ASSERT_TRUE(ack && ack->has_ack());
  }

  // The console's view of a device (device_status): the answer, or nothing after a refusal.
  static std::optional<json::object> device_status(console_client& console, const std::string& device_id,
                                                   const std::string& request_id) {
    console.send(
        json::serialize(json::object{{"type", "device_status"}, {"request_id", request_id}, {"device_id", device_id}}));
    auto reply = console.next_where([&](const json::object& m) {
      if (m.contains("device_status")) return field(m.at("device_status").as_object(), "request_id") == request_id;
      return field(m, "request_id") == request_id;
    });
    if (!reply || !reply->as_object().contains("device_status")) return std::nullopt;
    return reply->at("device_status").as_object();
  }

  static std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  // Waits (reading the database, not the console, whose reads time out) until `count`
  // events of `type` are stored, or `limit` has passed; returns how many there are.
  std::int64_t wait_for_events(const std::string& type, std::int64_t count, std::chrono::seconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (count_events(type) < count && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(100ms);
    return count_events(type);
  }

  std::int64_t count_events(const std::string& type) {
    SQLite::Database database(db(), SQLite::OPEN_READONLY);
    SQLite::Statement q(database, "SELECT count(*) FROM events WHERE alarm_type = ?");
    q.bind(1, type);
    q.executeStep();
    return q.getColumn(0).getInt64();
  }

  temp_dir dir_;
  std::unique_ptr<server_process> server_;
};

TEST_F(Supervision, ASilentDeviceOpensAMissedCheckInCaseAndItsReturnClosesIt) {
  auto console = amira();
  auto device = connect("dev-ann", "test-token-ann-0001");
  heartbeat(*device, 1, 87);
  auto last_heard = std::chrono::steady_clock::now();

  ASSERT_EQ(wait_for_events("missed_checkin", 1, 30s), 1);
  auto waited = std::chrono::steady_clock::now() - last_heard;
  EXPECT_GE(waited, 14s) << "not before 1.5 × its 10 s interval";
  EXPECT_LE(waited, 18s);
  auto missed = console->next_update_where([](const json::object& c) {
    return field(c, "alarm_type") == "missed_checkin" && field(c, "state") == "queued";
  });
  ASSERT_TRUE(missed);
  const auto& c = missed->at("update").at("case").as_object();
  EXPECT_EQ(field(c, "device_id"), "dev-ann");
  EXPECT_EQ(field(c.at("person").as_object(), "name"), "Ann Ellis");
  EXPECT_NE(field(c, "detail").find("checks in every 10 s"), std::string::npos) << field(c, "detail");
  auto id = field(c, "case_id");

  heartbeat(*device, 2, 86);  // back
  auto closed = console->next_update_where(
      [&](const json::object& u) { return field(u, "case_id") == id && field(u, "state") == "resolved"; });
  ASSERT_TRUE(closed);
  const auto& done = closed->at("update").at("case").as_object();
  EXPECT_EQ(field(done, "outcome"), "technical_issue");
  auto last_line = done.at("timeline").as_array().back().as_object();
  EXPECT_NE(field(last_line, "text").find("Device dev-ann checked in again after"), std::string::npos);
  EXPECT_EQ(count_events("missed_checkin"), 1);

  // The welfare-check list for the last minute names her, with the missed check-in.
  auto port = server_->http_port();
  auto cookie = login(port, "amira", "lantern-test-amira");
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                 .count();
  auto window = "/api/v1/welfare?from=" + std::to_string(now - 60'000) + "&to=" + std::to_string(now + 1000);
  auto list = http_request(port, "GET", window, "", cookie);
  ASSERT_EQ(list.status, 200) << list.body;
  auto persons = json::parse(list.body).at("persons").as_array();
  ASSERT_EQ(persons.size(), 1u);
  EXPECT_EQ(field(persons[0].as_object(), "name"), "Ann Ellis");
  EXPECT_EQ(field(persons[0].as_object(), "phone"), "+441134960001");
  EXPECT_EQ(persons[0].at("missed_checkins").as_int64(), 1);
  auto earlier = "/api/v1/welfare?from=" + std::to_string(now - 7'200'000) + "&to=" + std::to_string(now - 3'600'000);
  EXPECT_EQ(json::parse(http_request(port, "GET", earlier, "", cookie).body).at("persons").as_array().size(), 0u);
  EXPECT_EQ(http_request(port, "GET", window).status, 401);
  auto bad = http_request(port, "GET", "/api/v1/welfare?from=yesterday&to=1", "", cookie);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(field(json::parse(bad.body).as_object(), "field"), "from");
  auto backwards = http_request(port, "GET", "/api/v1/welfare?from=2000&to=1000", "", cookie);
  EXPECT_EQ(field(json::parse(backwards.body).as_object(), "error"), "to must be after from");
}

TEST_F(Supervision, ALowBatteryOpensOneCaseNotOnePerHeartbeat) {
  auto console = amira();
  auto smoke = connect("dev-ann-smoke", "test-token-ann-0002");
  heartbeat(*smoke, 1, 64);
  heartbeat(*smoke, 2, 15);
  auto low = console->next_update_where([](const json::object& c) { return field(c, "alarm_type") == "low_battery"; });
  ASSERT_TRUE(low);
  EXPECT_EQ(field(low->at("update").at("case").as_object(), "detail"), "battery at 15%");
  for (std::uint64_t seq = 3; seq < 8; ++seq) heartbeat(*smoke, seq, 14);
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(count_events("low_battery"), 1);

  // The card's view of the device: the battery it last reported, low, and when it was heard.
  auto status = device_status(*console, "dev-ann-smoke", "d1");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->at("battery_pct").as_int64(), 14);
  EXPECT_TRUE(status->at("battery_low").as_bool());
  EXPECT_FALSE(status->contains("missed_checkin") && status->at("missed_checkin").as_bool());
  auto heard = std::stoll(field(*status, "last_heard_ms"));
  EXPECT_LE(wall_ms() - heard, 5'000);
  EXPECT_GE(std::stoll(field(*status, "due_by_ms")), heard);
  // Hostile: no such device, a path for an id, an id of 10,000 characters (cut in the answer).
  console->send(R"({"type":"device_status","request_id":"d2","device_id":"dev-nobody"})");
  EXPECT_EQ(console->result_of("d2"), "no device 'dev-nobody'");
  console->send(R"({"type":"device_status","request_id":"d3","device_id":"//etc/passwd"})");
  EXPECT_EQ(console->result_of("d3"), "no device '//etc/passwd'");
  console->send(R"({"type":"device_status","request_id":"d4","device_id":")" + std::string(10'000, 'x') + R"("})");
  EXPECT_EQ(console->result_of("d4"), "no device '" + std::string(64, 'x') + "…'");
}

TEST_F(Supervision, LastSeenIsSavedAndARestartGivesEveryDeviceAFullIntervalOfGrace) {
  {
    auto device = connect("dev-ann", "test-token-ann-0001");
    heartbeat(*device, 1, 90);
  }
  EXPECT_EQ(server_->stop(), 0);
  {
    SQLite::Database database(db(), SQLite::OPEN_READONLY);
    EXPECT_EQ(database.execAndGet("SELECT count(*) FROM device_last_seen WHERE device_id = 'dev-ann'").getInt(), 1);
  }
  // Down for longer than the device's allowance: on return it still gets a full one.
  std::this_thread::sleep_for(16s);
  start_server();
  auto restarted = std::chrono::steady_clock::now();
  auto console = amira();
  // Its last contact is the one saved before the restart; no battery reported in this run.
  auto before = device_status(*console, "dev-ann", "d1");
  ASSERT_TRUE(before);
  EXPECT_GE(wall_ms() - std::stoll(field(*before, "last_heard_ms")), 16'000);
  EXPECT_EQ(before->at("battery_pct").as_int64(), -1);
  std::this_thread::sleep_for(10s);
  EXPECT_EQ(count_events("missed_checkin"), 0) << "a restart must not raise false missed check-ins";
  // ... and after that allowance, the silence counts, in words that know the saved contact.
  ASSERT_EQ(wait_for_events("missed_checkin", 1, 20s), 1);
  EXPECT_GE(std::chrono::steady_clock::now() - restarted, 14s);
  auto missed =
      console->next_update_where([](const json::object& c) { return field(c, "alarm_type") == "missed_checkin"; });
  ASSERT_TRUE(missed);
  EXPECT_EQ(field(missed->at("update").at("case").as_object(), "detail").rfind("silent for ", 0), 0u);
  auto after = device_status(*console, "dev-ann", "d2");
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->at("missed_checkin").as_bool());
}

}  // namespace
}  // namespace lantern::testing
