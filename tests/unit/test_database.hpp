#pragma once
// A fresh database file in a temporary folder, removed after the test.

#include <filesystem>
#include <random>
#include <string>

namespace lantern::testing {

class temp_database {
 public:
  temp_database() {
    std::random_device random;
    dir_ = std::filesystem::temp_directory_path() / ("lantern-test-" + std::to_string(random()));
    std::filesystem::create_directories(dir_);
  }
  ~temp_database() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string path() const { return (dir_ / "lantern.db").string(); }
  const std::filesystem::path& folder() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace lantern::testing
