// The console port against guessing and hoarding: failed logins throttled per address and
// per name, logins only as JSON, and idle connections from one address unable to lock a
// console out.
#include "console_client.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <poll.h>
#include <unistd.h>

namespace lantern::testing {
namespace {

class HttpAdmission : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(import_centre(db(), demo_centre()).exit_code, 0); }
  std::string db() const { return dir_.file("lantern.db"); }
  temp_dir dir_;
};

http_answer login_as(unsigned short port, const std::string& user, const std::string& password,
                     const std::string& from = "127.0.0.1") {
  return http_request(port, "POST", "/api/v1/login",
                      R"({"username":")" + user + R"(","password":")" + password + R"("})", "", "application/json",
                      from);
}

TEST_F(HttpAdmission, GuessingFromOneAddressIsThrottledWithRetryAfter) {
  server_process server(db());
  auto port = server.http_port();
  for (int i = 0; i < 10; ++i) EXPECT_EQ(login_as(port, "amira", "guess-" + std::to_string(i)).status, 401);
  auto throttled = login_as(port, "amira", "lantern-demo-amira");
  EXPECT_EQ(throttled.status, 429) << "even the right password waits: the address is guessing";
  EXPECT_GT(std::stoi(throttled.retry_after.empty() ? "0" : throttled.retry_after), 0);
  EXPECT_EQ(login_as(port, "olu", "lantern-demo-olu").status, 429) << "every name, from that address";
  EXPECT_EQ(login_as(port, "amira", "lantern-demo-amira", "127.0.0.3").status, 200)
      << "Amira at her own workstation is not locked out";
  EXPECT_TRUE(server.said("throttled: too many failures"));
}

TEST_F(HttpAdmission, GuessingOneNameFromManyAddressesIsThrottled) {
  server_process server(db());
  auto port = server.http_port();
  for (int i = 0; i < 20; ++i)
    EXPECT_EQ(login_as(port, "gwen", "guess", "127.0.1." + std::to_string(i + 1)).status, 401);
  EXPECT_EQ(login_as(port, "gwen", "guess", "127.0.2.1").status, 429);
  EXPECT_EQ(login_as(port, "olu", "lantern-demo-olu", "127.0.2.1").status, 200) << "other names go on";
}

TEST_F(HttpAdmission, ALoginMustBeJson) {
  server_process server(db());
  auto answer = http_request(server.http_port(), "POST", "/api/v1/login",
                             R"({"username":"amira","password":"lantern-demo-amira"})", "", "text/plain");
  EXPECT_EQ(answer.status, 415);
  EXPECT_TRUE(answer.set_cookie.empty());
}

// 21,600 idle connections once filled the server's descriptors and logins took 24 s.
TEST_F(HttpAdmission, IdleConnectionsFromOneAddressDoNotLockOutAConsole) {
  server_process server(db());
  auto idle = idle_connections("127.0.0.2", server.http_port(), 3000);
  ASSERT_EQ(idle.size(), 3000u);
  EXPECT_EQ(login_as(server.http_port(), "amira", "lantern-demo-amira").status, 200);
  // The oldest made way: the server closed them (a read sees the end of the stream).
  int closed = 0;
  for (int fd : idle) {
    pollfd p{fd, POLLIN, 0};
    char byte;
    if (poll(&p, 1, 0) == 1 && read(fd, &byte, 1) == 0) ++closed;
  }
  EXPECT_GE(closed, 3000 - 256 - 16) << "at most 256 wait from one address";
  for (int fd : idle) close(fd);
}

}  // namespace
}  // namespace lantern::testing
