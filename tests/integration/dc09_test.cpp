// The SIA DC-09 receiver against a real lantern-server: alarm units over TCP and UDP, an
// encrypted hub whose fall zone opens a critical case with the plan card, NAK and DUH, the
// unallocated list, re-sends stored once (also across a restart), NULL supervision, and
// every ACKed event still there after kill -9.
#include "console_client.hpp"
#include "dc09_client.hpp"
#include "server_process.hpp"

#include "dc09/crypto.hpp"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <regex>
#include <thread>

namespace lantern::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using transport = dc09_client::transport;

std::string field(const json::object& o, const char* key) {
  return o.contains(key) ? std::string(o.at(key).as_string()) : std::string();
}

const std::string hub_key = "AjaxHubKey123456";  // hub-ann's key_ascii: the key's bytes

class Dc09Receiver : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(import_centre(db(), std::string(LANTERN_SOURCE_DIR) + "/tests/integration/dc09-centre.json").exit_code,
              0);
    start_server();
  }
  void start_server() {
    // hub-ann checks in every 10 s; silent for 15 s it has missed its check-in.
    server_ =
        std::make_unique<server_process>(db(), std::vector<std::string>{"--dc09-port", "0", "--checkin-grace", "1.5"});
    ASSERT_NE(server_->dc09_port(), 0);
  }
  std::string db() const { return dir_.file("lantern.db"); }

  std::int64_t count(const std::string& where) {
    SQLite::Database database(db(), SQLite::OPEN_READONLY);
    return database.execAndGet("SELECT count(*) FROM events WHERE kind = 'alarm' AND " + where).getInt64();
  }
  std::int64_t wait_for(const std::string& where, std::int64_t n, std::chrono::seconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (count(where) < n && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(100ms);
    return count(where);
  }
  std::unique_ptr<console_client> amira() {
    auto port = server_->http_port();
    auto c = std::make_unique<console_client>(port, login(port, "amira", "lantern-test-amira"));
    EXPECT_TRUE(c->next());  // the snapshot
    return c;
  }
  // Bob's panel: clear text, receiver 12, line 3.
  static std::string from_panel(int seq, const std::string& data, const std::string& token = "ADM-CID") {
    return dc09_message(token, seq, "C0FFEE", data, "", 0, "12", "3");
  }
  static std::string from_hub(int seq, const std::string& data, std::int64_t sent_at_ms = 0,
                              const std::string& extended = "") {
    return dc09_message("ADM-CID", seq, "AB12", data, hub_key, sent_at_ms, "", "0", extended);
  }

  temp_dir dir_;
  std::unique_ptr<server_process> server_;
};

TEST_F(Dc09Receiver, APanelIsHeardOverTcpAndUdpAndEachAlarmIsAckedOnceStored) {
  auto console = amira();
  dc09_client tcp(server_->dc09_port(), transport::tcp);
  auto ack = tcp.exchange(from_panel(17, "#C0FFEE|1101 01 001"));
  ASSERT_TRUE(ack);
  EXPECT_NE(ack->problem, dc09::frame_problem::bad_crc) << "the ACK's CRC must be right";
  EXPECT_EQ(ack->value.token, "ACK");
  EXPECT_EQ(ack->value.seq, "0017");
  EXPECT_EQ(ack->value.receiver, "12");
  EXPECT_EQ(ack->value.line, "3");
  EXPECT_EQ(ack->value.account, "C0FFEE");
  EXPECT_EQ(count("device_id = 'panel-bob' AND alarm_type = 'pendant'"), 1) << "stored before the ACK";
  auto opened = console->next_update_where([](const json::object& c) { return field(c, "device_id") == "panel-bob"; });
  ASSERT_TRUE(opened);
  const auto& c = opened->at("update").at("case").as_object();
  EXPECT_EQ(field(c, "alarm_type"), "pendant");
  EXPECT_NE(field(c, "detail").find("Contact ID 101"), std::string::npos) << field(c, "detail");

  // Two frames in one write, and one frame split over two writes: each answered in order.
  auto smoke = from_panel(18, "#C0FFEE|1111 01 002"), flood = from_panel(19, "#C0FFEE|1154 01 003");
  tcp.send(smoke + flood);
  auto first = tcp.reply(), second = tcp.reply();
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->find("\"ACK\"0018"), std::string::npos) << *first;
  EXPECT_NE(second->find("\"ACK\"0019"), std::string::npos) << *second;
  auto test = from_panel(20, "#C0FFEE|1602 00 000");
  tcp.send(test.substr(0, 9));
  std::this_thread::sleep_for(100ms);
  tcp.send(test.substr(9));
  ASSERT_TRUE(tcp.reply());
  EXPECT_EQ(count("device_id = 'panel-bob' AND alarm_type = 'test'"), 1) << "a periodic test is stored, not a case";

  // UDP: one frame per datagram, answered to the sender.
  dc09_client udp(server_->dc09_port(), transport::udp);
  auto by_udp = udp.exchange(from_panel(21, "#C0FFEE|1100 01 004"));
  ASSERT_TRUE(by_udp);
  EXPECT_EQ(by_udp->value.token, "ACK");
  EXPECT_EQ(by_udp->value.seq, "0021");
  EXPECT_EQ(count("device_id = 'panel-bob' AND alarm_type = 'medical'"), 1);
}

TEST_F(Dc09Receiver, AnEncryptedHubsFallZoneOpensACriticalFallCaseWithThePlanCard) {
  auto console = amira();
  dc09_client tcp(server_->dc09_port(), transport::tcp);
  // Zone 5 is the bedroom's fall detector, though it reports as a pendant press (101).
  auto ack = tcp.exchange(from_hub(301, "#AB12|1101 01 005", 0, "[Rbedroom][X010E57.5698]"));
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->value.token, "ACK");
  EXPECT_TRUE(ack->value.encrypted) << "an encrypted message gets an encrypted ACK";
  EXPECT_EQ(dc09::decrypt(ack->value, hub_key), "") << "and it opens with the unit's key";
  EXPECT_EQ(ack->value.seq, "0301");
  auto opened = console->next_update_where([](const json::object& c) { return field(c, "device_id") == "hub-ann"; });
  ASSERT_TRUE(opened);
  const auto& c = opened->at("update").at("case").as_object();
  EXPECT_EQ(field(c, "alarm_type"), "fall");
  EXPECT_EQ(field(c, "priority"), "critical");
  EXPECT_EQ(field(c.at("person").as_object(), "name"), "Ann Ellis");
  auto detail = field(c, "detail");
  EXPECT_NE(detail.find("zone 005 (bedroom)"), std::string::npos) << detail;
  EXPECT_NE(detail.find("room: bedroom"), std::string::npos) << detail;
  EXPECT_NE(detail.find("longitude: 010E57.5698"), std::string::npos) << detail;

  // The unit's restore goes on that case's timeline, and opens nothing.
  ASSERT_TRUE(tcp.exchange(from_hub(302, "#AB12|3101 01 005")));
  auto restored = console->next_update_where([](const json::object& u) {
    const auto* lines = u.if_contains("timeline");
    if (!lines || lines->as_array().empty()) return false;
    return field(lines->as_array().back().as_object(), "kind") == "restored_at_unit";
  });
  EXPECT_TRUE(restored);

  // A message from outside the time window is NAKed with the receiver's time, in clear.
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                 .count();
  auto late = tcp.exchange(from_hub(303, "#AB12|1101 01 001", now - 120'000));
  ASSERT_TRUE(late);
  EXPECT_EQ(late->value.token, "NAK");
  EXPECT_FALSE(late->value.encrypted);
  ASSERT_TRUE(late->value.sent_at_ms);
  EXPECT_NEAR(static_cast<double>(*late->value.sent_at_ms), static_cast<double>(now), 5000.0);
  // A wrong key reads as garbage: NAK, and nothing stored.
  auto wrong = dc09_message("ADM-CID", 304, "AB12", "#AB12|1101 01 001", "WrongHubKey12345");
  auto refused = tcp.exchange(wrong);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->value.token, "NAK");
  EXPECT_EQ(count("device_id = 'hub-ann'"), 2);
}

TEST_F(Dc09Receiver, ABadCrcIsNakedAndNothingIsStored) {
  dc09_client tcp(server_->dc09_port(), transport::tcp);
  auto frame = from_panel(5, "#C0FFEE|1101 01 001");
  frame[1] = frame[1] == 'A' ? 'B' : 'A';  // a digit of the CRC
  auto nak = tcp.exchange(frame);
  ASSERT_TRUE(nak);
  EXPECT_EQ(nak->value.token, "NAK");
  auto wrong_length = from_panel(6, "#C0FFEE|1101 01 001");
  wrong_length[7] = wrong_length[7] == '1' ? '2' : '1';  // the length's last digit
  auto nak2 = tcp.exchange(wrong_length);
  ASSERT_TRUE(nak2);
  EXPECT_EQ(nak2->value.token, "NAK");
  // Garbage and an oversize line are dropped, and the connection still works.
  tcp.send("GET / HTTP/1.1\r\n" + std::string(3000, 'x') + "\r");
  auto ack = tcp.exchange(from_panel(7, "#C0FFEE|1101 01 001"));
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->value.token, "ACK");
  EXPECT_EQ(count("device_id = 'panel-bob'"), 1);
  auto metrics = http_request(server_->metrics_port(), "GET", "/metrics").body;
  EXPECT_NE(metrics.find("lantern_dc09_refused_total{reason=\"bad_frame\"} 2"), std::string::npos);
}

// A unit that sends Latin-1 bytes (not UTF-8) in data the receiver cannot read: stored raw
// and shown with U+FFFD where a byte was not UTF-8. protobuf's JSON printer dropped such
// bytes without a word; a text frame that is not UTF-8 would make a browser close the socket.
TEST_F(Dc09Receiver, BytesThatAreNotUtf8ReachTheConsoleAsReplacementCharactersAndItStaysOpen) {
  auto console = amira();
  dc09_client tcp(server_->dc09_port(), transport::tcp);
  auto ack = tcp.exchange(from_panel(40, "#C0FFEE|caf\xE9 \xFF"));
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->value.token, "ACK");
  auto raw = console->next_update_where([](const json::object& c) { return field(c, "device_id") == "panel-bob"; });
  ASSERT_TRUE(raw) << "the console read the update as JSON";
  auto detail = field(raw->at("update").at("case").as_object(), "detail");
  EXPECT_NE(detail.find("caf\xEF\xBF\xBD \xEF\xBF\xBD"), std::string::npos) << detail;
  // The same console reads the next alarm.
  ASSERT_TRUE(tcp.exchange(from_panel(41, "#C0FFEE|1111 01 002")));
  EXPECT_TRUE(console->next_update_where([](const json::object& c) { return field(c, "alarm_type") == "smoke"; }));
}

TEST_F(Dc09Receiver, AnUnknownAccountIsAnsweredDuhAndListedAsUnallocated) {
  dc09_client udp(server_->dc09_port(), transport::udp);
  for (int seq = 1; seq <= 2; ++seq) {
    auto duh = udp.exchange(dc09_message("SIA-DCS", seq, "BEEF", "#BEEF|Nri1/FA003"));
    ASSERT_TRUE(duh);
    EXPECT_EQ(duh->value.token, "DUH");
    EXPECT_EQ(duh->value.account, "BEEF");
  }
  EXPECT_EQ(count("1"), 0);
  auto port = server_->http_port();
  auto admin = login(port, "admin", "lantern-test-admin");
  auto listed = http_request(port, "GET", "/api/v1/unit-signals", "", admin);
  ASSERT_EQ(listed.status, 200) << listed.body;
  auto unallocated = json::parse(listed.body).at("unallocated").as_array();
  ASSERT_EQ(unallocated.size(), 1u);
  const auto& beef = unallocated[0].as_object();
  EXPECT_EQ(field(beef, "account"), "BEEF");
  EXPECT_EQ(beef.at("count").as_int64(), 2);
  EXPECT_EQ(field(beef, "last_source"), "127.0.0.1");
  EXPECT_NE(field(beef, "last_event").find("FA003"), std::string::npos);
  EXPECT_EQ(http_request(port, "GET", "/api/v1/unit-signals", "", login(port, "amira", "lantern-test-amira")).status,
            403)
      << "operators do not allocate units";

  // Allocated: a device record with that account takes the unit in, and the list forgets it.
  auto created = http_request(port, "POST", "/api/v1/devices",
                              R"({"id":"panel-new","person_id":"person-bob","kind":"alarm_panel","protocol":"dc09",
                                  "account":"beef","heartbeat_interval_s":3600})",
                              admin);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(json::parse(created.body).at("account"), "BEEF");
  auto ack = udp.exchange(dc09_message("SIA-DCS", 3, "BEEF", "#BEEF|Nri1/FA003"));
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->value.token, "ACK");
  EXPECT_EQ(count("device_id = 'panel-new' AND alarm_type = 'smoke'"), 1);
  listed = http_request(port, "GET", "/api/v1/unit-signals", "", admin);
  EXPECT_EQ(json::parse(listed.body).at("unallocated").as_array().size(), 0u);
}

TEST_F(Dc09Receiver, AReSendIsStoredOnceAlsoAcrossARestartAndAReusedSeqIsANewEvent) {
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                 .count();
  {
    dc09_client tcp(server_->dc09_port(), transport::tcp);
    // The same event, re-sent after a lost ACK: new pad and timestamp, same seq and content.
    ASSERT_EQ(tcp.exchange(from_hub(41, "#AB12|1100 01 001", now - 2000))->value.token, "ACK");
    ASSERT_EQ(tcp.exchange(from_hub(41, "#AB12|1100 01 001", now - 1000))->value.token, "ACK");
    EXPECT_EQ(count("device_id = 'hub-ann'"), 1);
    // The seq again with other content (DC-09's seq wraps at 9999): a new event.
    ASSERT_EQ(tcp.exchange(from_hub(41, "#AB12|1120 01 001"))->value.token, "ACK");
    EXPECT_EQ(count("device_id = 'hub-ann'"), 2);
  }
  EXPECT_EQ(server_->stop(), 0);
  start_server();
  dc09_client udp(server_->dc09_port(), transport::udp);
  ASSERT_EQ(udp.exchange(from_hub(41, "#AB12|1100 01 001"))->value.token, "ACK");
  EXPECT_EQ(count("device_id = 'hub-ann'"), 2) << "a re-send after a restart is still the same event";
}

TEST_F(Dc09Receiver, ANullSilentHubOpensAMissedCheckInAndItsNextMessageClosesIt) {
  auto console = amira();
  dc09_client udp(server_->dc09_port(), transport::udp);
  auto null = udp.exchange(dc09_message("NULL", 1, "AB12", "", hub_key));
  ASSERT_TRUE(null);
  EXPECT_EQ(null->value.token, "ACK");
  ASSERT_EQ(wait_for("alarm_type = 'missed_checkin'", 1, 30s), 1);
  auto missed = console->next_update_where([](const json::object& c) {
    return field(c, "alarm_type") == "missed_checkin" && field(c, "state") == "queued";
  });
  ASSERT_TRUE(missed);
  auto id = field(missed->at("update").at("case").as_object(), "case_id");
  ASSERT_EQ(udp.exchange(dc09_message("NULL", 2, "AB12", "", hub_key))->value.token, "ACK");
  auto closed = console->next_update_where(
      [&](const json::object& u) { return field(u, "case_id") == id && field(u, "state") == "resolved"; });
  EXPECT_TRUE(closed);
}

// A flood from one address and an oversize datagram: past the per-source rate a frame gets
// no answer (the unit re-sends later), nothing is stored twice or lost that was ACKed, and
// once the flood stops the same address is answered again.
TEST(Dc09Flood, AFloodFromOneAddressIsHeldToItsRateAndTheReceiverAnswersAgainAfterIt) {
  temp_dir dir;
  ASSERT_EQ(
      import_centre(dir.file("lantern.db"), std::string(LANTERN_SOURCE_DIR) + "/tests/integration/dc09-centre.json")
          .exit_code,
      0);
  server_process server(dir.file("lantern.db"), {"--dc09-port", "0", "--dc09-rate", "50"});
  dc09_client udp(server.dc09_port(), transport::udp);
  udp.send("\n" + std::string(1500, 'x') + "\r");  // no <CR> within 1 KiB: dropped, not answered
  EXPECT_FALSE(udp.reply(300ms)) << "an oversize datagram is not answered";
  int answered = 0;
  for (int seq = 1; seq <= 400; ++seq)
    udp.send(dc09_message("ADM-CID", seq, "C0FFEE", "#C0FFEE|1101 01 001", "", 0, "12", "3"));
  while (udp.reply(1000ms)) ++answered;
  EXPECT_GE(answered, 50) << "the burst is answered";
  EXPECT_LT(answered, 400) << "past the rate, frames are not answered";
  auto metrics = http_request(server.metrics_port(), "GET", "/metrics").body;
  EXPECT_EQ(metrics.find("lantern_dc09_refused_total{reason=\"rate_limited\"} 0"), std::string::npos);
  EXPECT_NE(metrics.find("lantern_dc09_refused_total{reason=\"oversize\"} 1"), std::string::npos);
  SQLite::Database database(dir.file("lantern.db"), SQLite::OPEN_READONLY);
  EXPECT_EQ(database.execAndGet("SELECT count(*) FROM events WHERE kind = 'alarm'").getInt(), answered)
      << "every ACKed frame stored, nothing more";
  std::this_thread::sleep_for(1500ms);  // the bucket refills
  auto ack = udp.exchange(dc09_message("ADM-CID", 401, "C0FFEE", "#C0FFEE|1101 01 001", "", 0, "12", "3"));
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->value.token, "ACK");
}

TEST_F(Dc09Receiver, EveryAckedEventIsThereAfterKillMinus9) {
  std::vector<int> acked;
  {
    dc09_client tcp(server_->dc09_port(), transport::tcp);
    for (int seq = 1; seq <= 60; ++seq) {
      auto ack = tcp.exchange(from_panel(seq, "#C0FFEE|1101 01 0" + std::to_string(10 + seq)));
      if (ack && ack->value.token == "ACK") acked.push_back(seq);
    }
  }
  server_->kill_hard();
  ASSERT_EQ(acked.size(), 60u);
  start_server();
  EXPECT_EQ(count("device_id = 'panel-bob' AND alarm_type = 'pendant'"), 60);
}

// lantern-sim's DC-09 units, encrypted, misbehaving in every way and coming back in a
// storm, over TCP and then UDP: every alarm acked is stored, once.
TEST(Dc09Sim, MisbehavingUnitsOverTcpAndUdpLoseNothingAndDoubleNothing) {
  temp_dir dir;
  auto db = sim_fleet_database(dir, 40, {"--protocol", "dc09", "--encrypt"});
  server_process server(db, {"--dc09-port", "0"});
  std::int64_t sent_in_all = 0;
  for (const char* udp : {"", "--dc09-udp"}) {
    std::vector<std::string> args{"--centre",       dir.file("fleet.json"),
                                  "--protocol",     "dc09",
                                  "--port",         std::to_string(server.dc09_port()),
                                  "--faults",       "all",
                                  "--fault-share",  "50",
                                  "--storm",        "3",
                                  "--storm-window", "2",
                                  "--alarm-rate",   "40",
                                  "--duration",     "4",
                                  "--heartbeat",    "1",
                                  "--ack-timeout",  "1",
                                  "--drain",        "60"};
    if (*udp) args.push_back(udp);
    auto result = run_program(LANTERN_SIM, args);
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find("unacked at end 0"), std::string::npos) << result.output;
    EXPECT_EQ(result.output.find("bad (CRC or echo) "), std::string::npos) << "every reply reads right\n"
                                                                           << result.output;
    std::smatch sent, injected;
    ASSERT_TRUE(std::regex_search(result.output, sent, std::regex("alarms +sent ([0-9]+)"))) << result.output;
    ASSERT_TRUE(std::regex_search(result.output, injected, std::regex("faults +injected ([0-9]+)"))) << result.output;
    EXPECT_GT(std::stoi(injected[1]), 10) << result.output;
    sent_in_all += std::stoll(sent[1]);
    SQLite::Database database(db, SQLite::OPEN_READONLY);
    EXPECT_EQ(database.execAndGet("SELECT count(*) FROM events WHERE kind = 'alarm'").getInt64(), sent_in_all)
        << (*udp ? "UDP" : "TCP") << "\n"
        << result.output;
  }
}

}  // namespace
}  // namespace lantern::testing
