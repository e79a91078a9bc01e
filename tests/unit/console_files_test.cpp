// The console's path resolver: which request targets name a console file, and which never do.
#include "web/console_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace lantern {
namespace {

TEST(ConsoleFileKey, PlainNamesUnderTheFolderAreFiles) {
  EXPECT_EQ(console_file_key("/"), "index.html");
  EXPECT_EQ(console_file_key("/?x=1"), "index.html");
  EXPECT_EQ(console_file_key("/queue.js"), "queue.js");
  EXPECT_EQ(console_file_key("/admin.html?person=p1#top"), "admin.html");
  EXPECT_EQ(console_file_key("/sounds/alarm-1.wav"), "sounds/alarm-1.wav");
}

TEST(ConsoleFileKey, AnythingThatCouldLeaveTheFolderIsNothing) {
  for (const char* hostile : {"",
                              "index.html",
                              "//etc/passwd",
                              "///etc/passwd",
                              "/a//b",
                              "/index.html/",
                              "/./index.html",
                              "/a/./b",
                              "/../etc/passwd",
                              "/a/../../etc/passwd",
                              "/..",
                              "/.",
                              "/.git/config",
                              "/%2e%2e/etc/passwd",
                              "/..%2fetc%2fpasswd",
                              "/%2f%2fetc/passwd",
                              "/\\etc\\passwd",
                              "/C:/Windows/win.ini",
                              "/a b.html",
                              "/caf\xc3\xa9"}) {
    EXPECT_EQ(console_file_key(hostile), std::nullopt) << hostile;
  }
  EXPECT_EQ(console_file_key(std::string_view("/index.html\0.js", 15)), std::nullopt);
  EXPECT_EQ(console_file_key("/" + std::string(201, 'a')), std::nullopt);
}

class ConsoleFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("lantern-console-" + std::to_string(std::random_device()()));
    std::filesystem::create_directories(root_ / "console" / "js");
    write(root_ / "console" / "index.html", "<h1>console</h1>");
    write(root_ / "console" / "js" / "queue.js", "export {}");
    write(root_ / "console" / ".env", "secret");
    write(root_ / "secret.txt", "outside");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  static void write(const std::filesystem::path& file, const std::string& text) { std::ofstream(file) << text; }
  std::filesystem::path root_;
};

TEST_F(ConsoleFolder, ServesItsFilesWithTheirTypesAndNothingElse) {
  std::filesystem::create_symlink(root_ / "secret.txt", root_ / "console" / "secret.txt");
  console_files files(root_ / "console", root_ / "db");
  ASSERT_NE(files.find("/"), nullptr);
  EXPECT_EQ(files.find("/")->body, "<h1>console</h1>");
  EXPECT_EQ(files.find("/js/queue.js")->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(files.find("/.env"), nullptr);
  EXPECT_EQ(files.find("/secret.txt"), nullptr) << "a symlink out of the folder is out";
  EXPECT_EQ(files.find("/missing.js"), nullptr);
  EXPECT_EQ(files.size(), 2u);
  ASSERT_EQ(files.skipped().size(), 1u);
  EXPECT_NE(files.skipped()[0].find("secret.txt: leads outside"), std::string::npos);
}

TEST_F(ConsoleFolder, NothingBesideTheDatabaseIsServed) {
  write(root_ / "console" / "lantern.db", "SQLite format 3");
  console_files files(root_ / "console", root_ / "console");
  EXPECT_EQ(files.find("/lantern.db"), nullptr);
  EXPECT_EQ(files.find("/"), nullptr);
  EXPECT_EQ(files.find("/js/queue.js")->body, "export {}") << "a folder below the database's is not beside it";
}

TEST(ConsoleFolderMissing, SaysWhyAndServesNothing) {
  console_files files("/no/such/console", "/tmp");
  EXPECT_EQ(files.size(), 0u);
  ASSERT_EQ(files.skipped().size(), 1u);
}

}  // namespace
}  // namespace lantern
