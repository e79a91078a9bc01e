// One server per database: a second one (or an import) on a database in use is refused
// before it touches the file, with a message that says what to do.
#include "server_process.hpp"

#include <gtest/gtest.h>

namespace lantern::testing {
namespace {

TEST(DatabaseLock, ASecondServerOrAnImportOnADatabaseInUseIsRefused) {
  temp_dir dir;
  auto db = demo_database(dir);
  server_process first(db);

  try {
    server_process second(db);
    ADD_FAILURE() << "a second server started on the same database:\n" << second.output();
  } catch (const std::runtime_error& refused) {
    EXPECT_NE(std::string(refused.what()).find("another lantern-server is using " + db), std::string::npos)
        << refused.what();
  }
  auto import = import_centre(db, demo_centre());
  EXPECT_NE(import.exit_code, 0);
  EXPECT_NE(import.output.find("another lantern-server is using"), std::string::npos) << import.output;

  EXPECT_EQ(first.stop(), 0);
  // The lock goes with the server: the database is free again.
  server_process next(db);
  EXPECT_EQ(next.stop(), 0);
}

}  // namespace
}  // namespace lantern::testing
