// A full disk (here: a file-size limit the database reaches): alarms are nacked for the
// device to re-send, /healthz says the journal cannot store, a login is answered 503, and
// the server neither dies nor drops connections without a word.
#include "console_client.hpp"
#include "device_client.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace lantern::testing {
namespace {

TEST(DiskFull, AlarmsAreNackedHealthSaysWhyAndLoginsAreAnswered) {
  temp_dir dir;
  auto db = demo_database(dir);
  auto limit = std::filesystem::file_size(db) + 256 * 1024;
  server_process server(db, {}, {"/usr/bin/prlimit", "--fsize=" + std::to_string(limit), "--"});
  EXPECT_EQ(http_request(server.http_port(), "GET", "/healthz").status, 200);

  device_client device(server.device_port());
  ASSERT_TRUE(device.hello("dev-100231", "demo-token-100231").has_welcome());
  bool nacked = false;
  for (std::uint64_t seq = 1; seq <= 3000 && !nacked; ++seq) {
    auto answer = device.alarm(seq, "pendant", std::string(900, 'x'));
    ASSERT_TRUE(answer.has_ack() || answer.has_nack()) << "seq " << seq;
    if (answer.has_nack()) {
      EXPECT_EQ(answer.nack().reason(), lantern::device::v1::Nack::STORAGE_UNAVAILABLE);
      nacked = true;
    }
  }
  ASSERT_TRUE(nacked) << "the limit was never reached";
  // Fill what room is left with the smallest alarms, until even those are refused.
  int refused_in_a_row = 0;
  for (std::uint64_t seq = 5000; seq < 8000 && refused_in_a_row < 5; ++seq)
    refused_in_a_row = device.alarm(seq, "pendant").has_nack() ? refused_in_a_row + 1 : 0;

  auto health = http_request(server.http_port(), "GET", "/healthz");
  EXPECT_EQ(health.status, 503);
  EXPECT_NE(health.body.find("cannot store alarms"), std::string::npos) << health.body;
  // What pages the on-call engineer (LanternStorageFailing).
  auto figures = http_request(server.metrics_port(), "GET", "/metrics").body;
  EXPECT_NE(figures.find("\nlantern_storage_failing 1\n"), std::string::npos);
  EXPECT_EQ(figures.find("\nlantern_journal_commit_failures_total 0\n"), std::string::npos);
  // The login is answered either way, never dropped: stored (a small write may still fit)
  // or refused with 503 and no cookie.
  auto login = http_request(server.http_port(), "POST", "/api/v1/login",
                            R"({"username":"amira","password":"lantern-demo-amira"})");
  EXPECT_TRUE(login.status == 200 || (login.status == 503 && login.set_cookie.empty())) << login.body;
}

// The login's write itself failing (here its table gone from under the server, which a
// full disk does to the write in the same way): 503, said in the log, no cookie.
TEST(DiskFull, ALoginThatCannotBeStoredIsRefusedWith503) {
  temp_dir dir;
  auto db = demo_database(dir);
  server_process server(db);
  ASSERT_EQ(run_program("/usr/bin/sqlite3", {db, "DROP TABLE login_sessions;"}).exit_code, 0);
  auto login = http_request(server.http_port(), "POST", "/api/v1/login",
                            R"({"username":"amira","password":"lantern-demo-amira"})");
  EXPECT_EQ(login.status, 503) << login.body;
  EXPECT_TRUE(login.set_cookie.empty());
  EXPECT_FALSE(login.retry_after.empty());
  EXPECT_TRUE(server.said("login for 'amira' could not be stored"));
}

}  // namespace
}  // namespace lantern::testing
