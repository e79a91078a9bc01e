// The console port serves the console's files and nothing else, whatever the path says:
// each target below once was, or could be, a way out of the console folder.
#include "console_client.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace lantern::testing {
namespace {

namespace fs = std::filesystem;

void expect_not_served(unsigned short port, const std::string& target) {
  auto answer = http_request(port, "GET", target);
  EXPECT_EQ(answer.status, 404) << target << " answered " << answer.status << ": " << answer.body.substr(0, 200);
  EXPECT_EQ(answer.body.find("root:"), std::string::npos) << target << " leaked /etc/passwd or /etc/shadow";
  EXPECT_EQ(answer.body.find("SQLite format"), std::string::npos) << target << " leaked the database";
}

TEST(ConsoleFiles, NoPathFromOutsideReadsAFileOutsideTheConsoleFolder) {
  temp_dir dir;
  auto db = demo_database(dir);
  server_process server(db);
  auto port = server.http_port();

  EXPECT_EQ(http_request(port, "GET", "/").status, 200);
  EXPECT_EQ(http_request(port, "GET", "/index.html").status, 200);
  EXPECT_EQ(http_request(port, "GET", "/carer/some-token").status, 200) << "every carer link opens the carer page";

  for (const std::string& target : std::vector<std::string>{"//etc/passwd",
                                                            "//etc/shadow",
                                                            "//proc/self/cmdline",
                                                            "//proc/self/environ",
                                                            "/" + db,
                                                            "/" + db + "-wal",
                                                            "/" + db + ".lock",
                                                            "///etc/passwd",
                                                            "/../../../../etc/passwd",
                                                            "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                                                            "/..%2f..%2f..%2fetc/passwd",
                                                            "/%2f%2fetc/passwd",
                                                            "/./index.html",
                                                            "/index.html/",
                                                            "/a//index.html",
                                                            "/.git/config",
                                                            "/\\etc\\passwd",
                                                            "/..\\..\\etc\\passwd",
                                                            "/carer/../../etc/passwd",
                                                            "/index.html%00.js",
                                                            "/" + std::string(300, 'a')}) {
    expect_not_served(port, target);
  }
  EXPECT_TRUE(server.said("listening"));
}

// A symlink inside the console folder that points out of it is out; so is the database
// when someone put it inside the console folder.
TEST(ConsoleFiles, SymlinksOutAndTheDatabaseFolderAreNeverServed) {
  temp_dir dir;
  auto console = dir.path() / "console";
  fs::create_directories(console / "pages");
  fs::copy_file(fs::path(LANTERN_SOURCE_DIR) / "operator-console" / "index.html", console / "index.html");
  std::ofstream(console / "pages" / "help.html") << "<p>help</p>";
  fs::create_symlink("/etc/passwd", console / "passwd.html");
  fs::create_symlink("/etc", console / "etc");
  fs::create_symlink(console / "pages" / "help.html", console / "help.html");  // inside: fine
  auto db = (console / "lantern.db").string();
  ASSERT_EQ(import_centre(db, demo_centre()).exit_code, 0);

  server_process server(db, {"--console-dir", console.string()});
  auto port = server.http_port();
  EXPECT_EQ(http_request(port, "GET", "/pages/help.html").body, "<p>help</p>");
  EXPECT_EQ(http_request(port, "GET", "/help.html").body, "<p>help</p>");
  for (const std::string& target :
       std::vector<std::string>{"/passwd.html", "/etc/passwd", "/etc/shadow", "/lantern.db", "/lantern.db-wal",
                                "/lantern.db-shm", "/lantern.db.lock", "/index.html"})
    expect_not_served(port, target);
  EXPECT_TRUE(server.said("passwd.html: leads outside the console folder"));
  EXPECT_TRUE(server.said("lantern.db: in the database's folder"));
}

}  // namespace
}  // namespace lantern::testing
