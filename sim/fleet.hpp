#pragma once
// The simulated fleet: device ids and tokens read from a centre file, and centre files
// made up for load tests.

#include <string>
#include <vector>

namespace lantern::sim {

struct fleet_device {
  std::string id;
  std::string token;  // Lantern's link
  // A SIA DC-09 unit: its account, receiver, line and key (AES key bytes; empty: clear).
  std::string account, receiver, line, key;
};

// The devices of every person in a centre file (format lantern.centre.v1) that speak
// `protocol` ("lantern" or "dc09"). Throws with a clear message when the file cannot be read.
std::vector<fleet_device> load_fleet(const std::string& centre_file, const std::string& protocol = "lantern");

// A centre file with `persons` people, one device each: a pendant (token
// "sim-token-<n>-lantern") or, for "dc09", a hub with account <n> in hex (and, `encrypt`,
// key_ascii "sim-key-<n>", padded to 16); one operator "sim-operator" / "sim-operator-password".
std::string make_centre_file(int persons, const std::string& protocol = "lantern", bool encrypt = false);

}  // namespace lantern::sim
