#pragma once
// The simulated fleet: device ids and tokens read from a centre file, and centre files
// made up for load tests.

#include <string>
#include <vector>

namespace lantern::sim {

struct fleet_device {
  std::string id;
  std::string token;
};

// Every device of every person in a centre file (format lantern.centre.v1). Throws with a
// clear message when the file cannot be read.
std::vector<fleet_device> load_fleet(const std::string& centre_file);

// A centre file with `persons` people, one pendant each (token "sim-token-<n>-lantern"),
// and one operator account "sim-operator" / "sim-operator-password".
std::string make_centre_file(int persons);

}  // namespace lantern::sim
