// The console port against a real lantern-server: login, the /ws gate, and a device alarm
// reaching a live console with the person's plan.
#include "console_client.hpp"
#include "device_client.hpp"
#include "server_process.hpp"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <unistd.h>

#include <set>

namespace lantern::testing {
namespace {

class Console : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new temp_dir();
    auto imported = import_centre(dir_->file("lantern.db"), demo_centre());
    ASSERT_EQ(imported.exit_code, 0) << imported.output;
    server_ = new server_process(dir_->file("lantern.db"));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }
  static unsigned short port() { return server_->http_port(); }

  static temp_dir* dir_;
  static server_process* server_;
};
temp_dir* Console::dir_ = nullptr;
server_process* Console::server_ = nullptr;

std::string text(const boost::json::value& v, const char* key) {
  return std::string(v.as_object().at(key).as_string());
}

TEST_F(Console, AWrongPasswordIsRefused) {
  auto answer = http_request(port(), "POST", "/api/v1/login", R"({"username":"amira","password":"guess-guess"})");
  EXPECT_EQ(answer.status, 401);
  EXPECT_NE(answer.body.find("wrong username or password"), std::string::npos);
  EXPECT_TRUE(answer.set_cookie.empty());
}

TEST_F(Console, ABadLoginBodyNamesTheField) {
  auto missing = http_request(port(), "POST", "/api/v1/login", R"({"username":"amira"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(text(boost::json::parse(missing.body), "field"), "password");
  EXPECT_EQ(http_request(port(), "POST", "/api/v1/login", "not json").status, 400);
  // Hostile sizes are refused by name before any hash is computed (or a name logged).
  auto long_password = http_request(port(), "POST", "/api/v1/login",
                                    R"({"username":"amira","password":")" + std::string(1025, 'p') + R"("})");
  EXPECT_EQ(long_password.status, 400);
  EXPECT_EQ(text(boost::json::parse(long_password.body), "error"), "password is too long (at most 1024 bytes)");
  auto long_name = http_request(port(), "POST", "/api/v1/login",
                                R"({"username":")" + std::string(129, 'a') + R"(","password":"x"})");
  EXPECT_EQ(text(boost::json::parse(long_name.body), "field"), "username");
}

TEST_F(Console, TheSessionCookieIsHttpOnlyAndSameSiteStrict) {
  auto answer = http_request(port(), "POST", "/api/v1/login", R"({"username":"gwen","password":"lantern-demo-gwen"})");
  ASSERT_EQ(answer.status, 200);
  EXPECT_NE(answer.set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(answer.set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(text(boost::json::parse(answer.body), "role"), "supervisor");
}

TEST_F(Console, TheLiveConsoleRequiresALogin) {
  EXPECT_EQ(websocket_upgrade_status(port(), ""), 401);
  EXPECT_EQ(websocket_upgrade_status(port(), "lantern_session=0123456789abcdef"), 401);
  auto cookie = login(port(), "amira", "lantern-demo-amira");
  EXPECT_EQ(websocket_upgrade_status(port(), cookie), 101);
}

TEST_F(Console, APageFromAnotherSiteCannotOpenTheLiveConsole) {
  auto cookie = login(port(), "amira", "lantern-demo-amira");
  EXPECT_EQ(websocket_upgrade_status(port(), cookie, "http://evil.example"), 403);
  EXPECT_EQ(websocket_upgrade_status(port(), cookie, "http://127.0.0.1:" + std::to_string(port())), 101);
}

TEST_F(Console, LoggingOutEndsTheSession) {
  auto cookie = login(port(), "amira", "lantern-demo-amira");
  EXPECT_EQ(http_request(port(), "GET", "/api/v1/me", "", cookie).status, 200);
  EXPECT_EQ(http_request(port(), "POST", "/api/v1/logout", "", cookie).status, 200);
  EXPECT_EQ(http_request(port(), "GET", "/api/v1/me", "", cookie).status, 401);
  EXPECT_EQ(websocket_upgrade_status(port(), cookie), 401);
}

TEST_F(Console, TheConsolePageAndItsModulesAreServedButNothingOutsideIt) {
  auto page = http_request(port(), "GET", "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("operator console"), std::string::npos);
  EXPECT_EQ(http_request(port(), "GET", "/app.js").status, 200);
  EXPECT_EQ(http_request(port(), "GET", "/../CMakeLists.txt").status, 404);
  EXPECT_EQ(http_request(port(), "GET", "/%2e%2e/CMakeLists.txt").status, 404);
  EXPECT_EQ(http_request(port(), "GET", "/.hidden").status, 404);
}

// Raw, so the Host header can be anything a DNS-rebinding page would send.
std::string raw_request(unsigned short port, const std::string& text) {
  int fd = connect_from("127.0.0.1", port);
  EXPECT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  std::string answer(4096, '\0');
  auto n = read(fd, answer.data(), answer.size());
  close(fd);
  return answer.substr(0, n > 0 ? std::size_t(n) : 0);
}

TEST_F(Console, EveryResponseForbidsFramingAndSniffingAndAnswersOnlyToItsOwnNames) {
  for (const char* target : {"/", "/app.js", "/api/v1/me", "/no-such-page", "/healthz"}) {
    auto answer = http_request(port(), "GET", target);
    EXPECT_NE(answer.headers.find("X-Content-Type-Options: nosniff"), std::string::npos) << target;
    EXPECT_NE(answer.headers.find("frame-ancestors 'none'"), std::string::npos) << target;
    EXPECT_NE(answer.headers.find("Referrer-Policy: no-referrer"), std::string::npos) << target;
  }
  EXPECT_NE(raw_request(port(), "GET /healthz HTTP/1.1\r\nHost: localhost:1\r\n\r\n").find("200 OK"),
            std::string::npos);
  for (const char* host : {"evil.example", "evil.example:8080", "127.0.0.1.evil.example", ""}) {
    auto answer = raw_request(port(), "GET /api/v1/me HTTP/1.1\r\nHost: " + std::string(host) + "\r\n\r\n");
    EXPECT_NE(answer.find("421"), std::string::npos) << host << ": " << answer.substr(0, 80);
  }
  EXPECT_EQ(http_request(port(), "GET", "/metrics").status, 404) << "the figures have their own listener";
}

TEST_F(Console, HealthAndMetricsAreServed) {
  EXPECT_NE(http_request(port(), "GET", "/healthz").body.find("\"status\":\"ok\""), std::string::npos);
  auto metrics = http_request(server_->metrics_port(), "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  for (const char* name : {"lantern_events_received_total", "lantern_alarm_ack_latency_seconds", "lantern_open_cases",
                           "lantern_consoles_connected", "lantern_devices_connected", "lantern_journal_batch_size",
                           "lantern_journal_commit_seconds"})
    EXPECT_NE(metrics.body.find(name), std::string::npos) << name;
}

TEST_F(Console, ADeviceAlarmReachesALiveConsoleWithThePersonsPlan) {
  auto cookie = login(port(), "amira", "lantern-demo-amira");
  console_client console(port(), cookie);
  auto snapshot = console.next();
  ASSERT_TRUE(snapshot);
  const auto& snap = snapshot->as_object().at("snapshot").as_object();
  EXPECT_EQ(text(snap.at("operator"), "username"), "amira");

  device_client device(server_->device_port());
  ASSERT_TRUE(device.hello("dev-100231", "demo-token-100231").has_welcome());
  ASSERT_TRUE(device.alarm(77, "fall").has_ack());

  auto update = console.next_update_where([](const boost::json::object& c) {
    return c.at("alarm_type").as_string() == "fall" && c.at("device_id").as_string() == "dev-100231";
  });
  ASSERT_TRUE(update) << "no update for the fall reached the console";
  const auto& c = update->as_object().at("update").as_object().at("case");
  EXPECT_EQ(text(c, "priority"), "critical");
  EXPECT_EQ(text(c, "state"), "queued");
  const auto& person = c.as_object().at("person");
  EXPECT_EQ(text(person, "name"), "Margaret Ellis");
  EXPECT_EQ(text(person, "preferred_language"), "cy");
  EXPECT_NE(text(person, "medical_notes").find("warfarin"), std::string::npos);
  EXPECT_NE(text(person, "instructions").find("call 999"), std::string::npos);
  EXPECT_EQ(text(person, "allergies"), "Penicillin");
  const auto& responders = person.as_object().at("responders").as_array();
  ASSERT_EQ(responders.size(), 2u);
  EXPECT_EQ(text(responders[0], "name"), "Sarah Ellis");
  EXPECT_EQ(text(responders[0], "relationship"), "daughter");
  EXPECT_EQ(text(responders[1], "name"), "Tom Hughes");
  EXPECT_EQ(boost::json::serialize(person.at("hazards")),
            R"(["Cat (Tibbles) tries to get out: close the door behind you"])");
  // Which device, and where: the pendant is worn.
  EXPECT_EQ(text(c.at("device"), "kind"), "pendant");
  EXPECT_EQ(text(c.at("device"), "location"), "worn around the neck");
  EXPECT_EQ(boost::json::serialize(*update).find("4821"), std::string::npos) << "no key safe code before accept";
}

// A repeat press's update went to every console at 652 bytes, over half of it unchanged since
// the case opened. Now it carries only what changed; what the console pieces together is what
// a fresh console's snapshot shows.
TEST_F(Console, ARepeatsUpdateCarriesOnlyWhatChangedAndTheConsoleKeepsTheRest) {
  console_client console(port(), login(port(), "amira", "lantern-demo-amira"));
  ASSERT_TRUE(console.next());
  device_client device(server_->device_port());
  ASSERT_TRUE(device.hello("dev-200002", "demo-token-200002").has_welcome());
  auto of_arthur = [](const boost::json::object& c) { return c.at("device_id").as_string() == "dev-200002"; };
  ASSERT_TRUE(device.alarm(501, "pendant").has_ack());
  auto opened = console.next_update_where(of_arthur);
  ASSERT_TRUE(opened);
  const auto& first = opened->at("update").at("case").as_object();
  EXPECT_FALSE(first.contains("partial")) << "the update that opens a case is whole";
  ASSERT_FALSE(first.at("deadlines").as_array().empty());

  ASSERT_TRUE(device.alarm(502, "pendant").has_ack());
  auto repeat = console.next_update_where(
      [&](const boost::json::object& c) { return of_arthur(c) && c.at("alarm_count").to_number<int>() == 2; });
  ASSERT_TRUE(repeat);
  const auto& c = repeat->at("update").at("case").as_object();
  EXPECT_TRUE(c.at("partial").as_bool());
  EXPECT_FALSE(c.contains("cleared")) << "a repeat takes nothing back to its default";

  console_client fresh(port(), login(port(), "gwen", "lantern-demo-gwen"));
  auto snapshot = fresh.next();
  ASSERT_TRUE(snapshot);
  bool found = false;
  for (const auto& whole : snapshot->at("snapshot").at("cases").as_array()) {
    if (whole.at("case_id") != c.at("case_id")) continue;
    found = true;
    // A snapshot spells out fields at their default; an update leaves them out.
    for (const auto& [key, value] : whole.as_object()) {
      if (key == "person" || key == "timeline" || key == "device" || key == "partial" || key == "cleared") continue;
      const auto* pieced = c.if_contains(key);
      bool at_default =
          value == "" || value == "0" || value == 0 || value == false || (value.is_array() && value.as_array().empty());
      if (pieced)
        EXPECT_EQ(boost::json::serialize(*pieced), boost::json::serialize(value)) << key;
      else
        EXPECT_TRUE(at_default) << key << " missing from the pieced-together case: " << value;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(Console, APersonIsFoundOpenedWithTheReadRecordedAndGivenACaseByHand) {
  auto cookie = login(port(), "olu", "lantern-demo-olu");
  console_client console(port(), cookie);
  ASSERT_TRUE(console.next());  // the snapshot
  auto reply_to = [&](const std::string& id) {
    return console.next_where([&](const boost::json::object& m) {
      for (const char* kind : {"people", "person_opened"})
        if (m.contains(kind) && m.at(kind).at("request_id").as_string() == id) return true;
      return m.contains("type") && m.at("type") == "result" && m.at("request_id").as_string() == id;
    });
  };
  // A phone number as people write it finds Margaret; nothing secret is in what comes back.
  console.send(R"({"type":"find_person","request_id":"f1","query":"0113 496 0012"})");
  auto found = reply_to("f1");
  ASSERT_TRUE(found && found->as_object().contains("people")) << (found ? boost::json::serialize(*found) : "nothing");
  const auto& matches = found->at("people").at("matches").as_array();
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(text(matches[0], "name"), "Margaret Ellis");
  EXPECT_EQ(text(matches[0], "matched_on"), "phone");
  EXPECT_EQ(boost::json::serialize(*found).find("4821"), std::string::npos);
  EXPECT_EQ(boost::json::serialize(*found).find("warfarin"), std::string::npos) << "no medical notes in a search";

  // Hostile searches: too long is refused by name; one character finds nobody.
  console.send(R"({"type":"find_person","request_id":"f2","query":")" + std::string(101, 'a') + R"("})");
  EXPECT_EQ(console.result_of("f2"), "the search is too long (at most 100 characters)");
  console.send(R"({"type":"find_person","request_id":"f3","query":"%"})");
  auto nobody = reply_to("f3");
  ASSERT_TRUE(nobody);
  EXPECT_EQ(boost::json::serialize(nobody->at("people").at("matches")), "[]");

  // Opening her card without a case is recorded first, and carries no access details.
  auto reads_before = [&] {
    SQLite::Database read(dir_->file("lantern.db"), SQLite::OPEN_READONLY);
    return read.execAndGet("SELECT count(*) FROM events WHERE kind = 'person_read' AND actor = 'olu'").getInt64();
  };
  auto before = reads_before();
  console.send(R"({"type":"open_person","request_id":"p1","person_id":"person-margaret-ellis"})");
  auto opened = reply_to("p1");
  ASSERT_TRUE(opened && opened->as_object().contains("person_opened"));
  EXPECT_EQ(text(opened->at("person_opened").at("card"), "name"), "Margaret Ellis");
  EXPECT_EQ(boost::json::serialize(*opened).find("4821"), std::string::npos);
  EXPECT_EQ(reads_before(), before + 1);
  console.send(R"({"type":"open_person","request_id":"p2","person_id":"../etc/passwd"})");
  EXPECT_EQ(console.result_of("p2"), "no person '../etc/passwd'");

  // A relative phoned: Olu opens a case by hand. It is his, with no device.
  console.send(
      R"({"type":"open_case","request_id":"o1","person_id":"person-margaret-ellis","alarm_type":"medical","note":"Her son rang"})");
  EXPECT_EQ(console.result_of("o1"), "");
  auto update = console.next_update_where([](const boost::json::object& c) {
    return c.at("alarm_type") == "medical" && c.contains("owner") && c.at("owner") == "olu";
  });
  ASSERT_TRUE(update);
  const auto& c = update->at("update").at("case").as_object();
  EXPECT_EQ(text(c, "state"), "accepted");
  EXPECT_FALSE(c.contains("device_id") && !c.at("device_id").as_string().empty());
  console.send(R"({"type":"open_case","request_id":"o2","person_id":"person-margaret-ellis","alarm_type":"medical"})");
  EXPECT_NE(console.result_of("o2").find("Margaret Ellis already has an open medical case"), std::string::npos);
  console.send(R"({"type":"open_case","request_id":"o3","person_id":"person-margaret-ellis","alarm_type":"test"})");
  EXPECT_NE(console.result_of("o3").find("unknown case type 'test'"), std::string::npos);
}

TEST_F(Console, AResyncRequestGetsAFreshSnapshotAndNonsenseGetsAnError) {
  auto cookie = login(port(), "amira", "lantern-demo-amira");
  console_client console(port(), cookie);
  ASSERT_TRUE(console.next());
  console.send(R"({"type":"resync"})");
  auto fresh = console.next();
  ASSERT_TRUE(fresh && fresh->as_object().contains("snapshot"));
  console.send(R"({"launch":"rockets"})");
  auto error = console.next();
  ASSERT_TRUE(error && error->as_object().contains("error")) << (error ? boost::json::serialize(*error) : "nothing");
}

}  // namespace
}  // namespace lantern::testing

namespace lantern::testing {
namespace {

TEST(ConsoleRestart, ALoginSurvivesARestartButALogoutDoesNot) {
  temp_dir dir;
  auto db = dir.file("lantern.db");
  ASSERT_EQ(import_centre(db, demo_centre()).exit_code, 0);
  auto server = std::make_unique<server_process>(db);
  auto cookie = login(server->http_port(), "amira", "lantern-demo-amira");
  server->stop();

  server = std::make_unique<server_process>(db);
  EXPECT_EQ(http_request(server->http_port(), "GET", "/api/v1/me", "", cookie).status, 200)
      << "an operator is not logged out by a restart";
  EXPECT_EQ(websocket_upgrade_status(server->http_port(), cookie), 101);
  EXPECT_EQ(http_request(server->http_port(), "POST", "/api/v1/logout", "", cookie).status, 200);
  server->stop();

  server = std::make_unique<server_process>(db);
  EXPECT_EQ(http_request(server->http_port(), "GET", "/api/v1/me", "", cookie).status, 401);
  server->stop();

  SQLite::Database database(db);
  EXPECT_EQ(database.execAndGet("SELECT count(*) FROM login_sessions").getInt(), 0);
  auto token = cookie.substr(cookie.find('=') + 1);
  EXPECT_EQ(database.execAndGet("SELECT count(*) FROM login_sessions WHERE token_hash = '" + token + "'").getInt(), 0)
      << "only hashes of tokens are stored";
}

TEST(ConsoleRestart, OnlyAHashOfTheSessionTokenIsStored) {
  temp_dir dir;
  auto db = dir.file("lantern.db");
  ASSERT_EQ(import_centre(db, demo_centre()).exit_code, 0);
  server_process server(db);
  auto cookie = login(server.http_port(), "gwen", "lantern-demo-gwen");
  auto token = cookie.substr(cookie.find('=') + 1);
  SQLite::Database database(db);
  EXPECT_EQ(database.execAndGet("SELECT count(*) FROM login_sessions WHERE username = 'gwen'").getInt(), 1);
  EXPECT_EQ(database.execAndGet("SELECT count(*) FROM login_sessions WHERE token_hash = '" + token + "'").getInt(), 0);
}

}  // namespace
}  // namespace lantern::testing
