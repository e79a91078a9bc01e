// No root: a server started as root with --user runs as that user (uid, gid, no capabilities,
// no way back), makes its database files as that user, and cannot read /etc/shadow by any
// route: not through the console port, not as a centre file to import. Without --user, a
// server run as root says so. These tests run as root, as tests/run.sh does.
#include "console_client.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace lantern::testing {
namespace {

std::string status_line(pid_t pid, const std::string& name) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(name + ":", 0) == 0) return line.substr(name.size() + 1);
  return {};
}

std::string squeezed(std::string text) {  // "\t65534\t65534" -> "65534 65534"
  std::istringstream in(text);
  std::string word, out;
  while (in >> word) out += (out.empty() ? "" : " ") + word;
  return out;
}

TEST(NoRoot, WithUserTheServerRunsAsThatUserAndCannotReadShadowByAnyRoute) {
  ASSERT_EQ(geteuid(), 0u) << "run as root (tests/run.sh does): --user is about leaving root";
  const passwd* nobody = getpwnam("nobody");
  ASSERT_NE(nobody, nullptr);
  temp_dir dir;
  ASSERT_EQ(chown(dir.path().c_str(), nobody->pw_uid, nobody->pw_gid), 0);
  auto db = dir.file("lantern.db");
  server_process server(db, {"--user", "nobody", "--import", demo_centre()});

  auto uid = std::to_string(nobody->pw_uid), gid = std::to_string(nobody->pw_gid);
  EXPECT_EQ(squeezed(status_line(server.pid(), "Uid")), uid + " " + uid + " " + uid + " " + uid);
  EXPECT_EQ(squeezed(status_line(server.pid(), "Gid")), gid + " " + gid + " " + gid + " " + gid);
  EXPECT_EQ(squeezed(status_line(server.pid(), "CapEff")), "0000000000000000");
  EXPECT_EQ(squeezed(status_line(server.pid(), "CapPrm")), "0000000000000000") << "binding is given up once listening";
  EXPECT_EQ(squeezed(status_line(server.pid(), "NoNewPrivs")), "1");
  EXPECT_TRUE(server.said("running as user nobody"));
  for (const char* file : {"lantern.db", "lantern.db-wal", "lantern.db.lock"}) {
    struct stat info {};
    ASSERT_EQ(stat(dir.file(file).c_str(), &info), 0) << file;
    EXPECT_EQ(info.st_uid, nobody->pw_uid) << file << " is the user's, so it can write it after a restart";
  }
  // Through the console port: no file outside the console's own is served, however asked.
  for (const char* target : {"/etc/shadow", "//etc/shadow", "/../../etc/shadow", "/%2e%2e/%2e%2e/etc/shadow"}) {
    auto reply = http_request(server.http_port(), "GET", target);
    EXPECT_EQ(reply.status, 404) << target;
    EXPECT_EQ(reply.body.find("root:"), std::string::npos) << target;
  }
  EXPECT_EQ(login(server.http_port(), "amira", "lantern-demo-amira").empty(), false) << "and it serves";
  EXPECT_EQ(server.stop(), 0);

  // As a centre file: root could read it (and finds it is not JSON); the user cannot open it.
  auto as_user =
      run_program(LANTERN_SERVER, {"--user", "nobody", "--db", db, "--import", "/etc/shadow", "--import-only"});
  EXPECT_NE(as_user.output.find("cannot read centre file /etc/shadow"), std::string::npos) << as_user.output;
  EXPECT_EQ(as_user.output.find("not valid JSON"), std::string::npos) << as_user.output;
}

TEST(NoRoot, AServerRunAsRootWithoutUserWarnsAndABadUserIsRefused) {
  ASSERT_EQ(geteuid(), 0u) << "run as root (tests/run.sh does)";
  temp_dir dir;
  {
    server_process server(dir.file("lantern.db"));
    EXPECT_TRUE(server.said("running as root: start with --user NAME"));
  }
  auto unknown = run_program(LANTERN_SERVER, {"--user", "no-such-user-here", "--db", dir.file("lantern.db")});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.output.find("--user no-such-user-here: no such user"), std::string::npos) << unknown.output;
  auto root = run_program(LANTERN_SERVER, {"--user", "root", "--db", dir.file("lantern.db")});
  EXPECT_EQ(root.exit_code, 1);
  EXPECT_NE(root.output.find("--user root: that is root"), std::string::npos) << root.output;
}

}  // namespace
}  // namespace lantern::testing
