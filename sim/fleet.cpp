#include "fleet.hpp"

#include <boost/json.hpp>

#include "dc09/crypto.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace lantern::sim {

namespace {

std::string text_of(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// How the simulator keys a unit: 16 characters, AES-128 as key_ascii.
std::string sim_key(int n) {
  auto key = "sim-key-" + std::to_string(n);
  key.resize(16, '.');
  return key;
}

}  // namespace

std::vector<fleet_device> load_fleet(const std::string& centre_file, const std::string& protocol) {
  std::ifstream in(centre_file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read centre file " + centre_file);
  std::ostringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  auto root = boost::json::parse(text.str(), ec);
  if (ec || !root.is_object()) throw std::runtime_error(centre_file + " is not a JSON centre file");
  std::vector<fleet_device> fleet;
  const auto* persons = root.as_object().if_contains("persons");
  if (persons == nullptr || !persons->is_array()) return fleet;
  for (const auto& p : persons->as_array()) {
    const auto* devices = p.is_object() ? p.as_object().if_contains("devices") : nullptr;
    if (devices == nullptr || !devices->is_array()) continue;
    for (const auto& d : devices->as_array()) {
      if (!d.is_object()) continue;
      const auto& o = d.as_object();
      fleet_device device{text_of(o, "id"),       text_of(o, "token"), text_of(o, "account"),
                          text_of(o, "receiver"), text_of(o, "line"),  {}};
      bool dc09 = text_of(o, "protocol") == "dc09";
      if (device.id.empty() || dc09 != (protocol == "dc09") || (!dc09 && device.token.empty())) continue;
      if (auto ascii = text_of(o, "key_ascii"); !ascii.empty()) {
        device.key = ascii;
      } else if (auto hex = text_of(o, "key"); !hex.empty()) {
        auto bytes = dc09::key_bytes(hex, dc09::key_form::hex);
        if (!bytes) throw std::runtime_error(device.id + ": key is not 32, 48 or 64 hex digits");
        device.key = *bytes;
      }
      fleet.push_back(std::move(device));
    }
  }
  return fleet;
}

std::string make_centre_file(int persons, const std::string& protocol, bool encrypt) {
  boost::json::array people;
  for (int n = 1; n <= persons; ++n) {
    auto id = std::to_string(n);
    boost::json::object plan{{"review_due", "2027-06-01"}, {"responders", boost::json::array{}}};
    boost::json::array devices;
    if (protocol == "dc09") {
      char account[16];
      std::snprintf(account, sizeof account, "%04X", n);
      boost::json::object hub{{"id", "sim-" + id},  {"kind", "home_hub"},         {"protocol", "dc09"},
                              {"account", account}, {"heartbeat_interval_s", 60}, {"zones", boost::json::array{}}};
      if (encrypt) hub["key_ascii"] = sim_key(n);
      devices.emplace_back(std::move(hub));
    } else {
      devices.emplace_back(boost::json::object{{"id", "sim-" + id},
                                               {"kind", "pendant"},
                                               {"token", "sim-token-" + id + "-lantern"},
                                               {"heartbeat_interval_s", 60}});
    }
    people.emplace_back(boost::json::object{{"id", "sim-person-" + id},
                                            {"name", "Simulated Person " + id},
                                            {"date_of_birth", "1940-01-01"},
                                            {"address", id + " Test Street, Leeds LS1 1AA"},
                                            {"preferred_language", "en-GB"},
                                            {"plan", std::move(plan)},
                                            {"devices", std::move(devices)}});
  }
  boost::json::array operators;
  operators.emplace_back(boost::json::object{{"username", "sim-operator"},
                                             {"display_name", "Simulation Operator"},
                                             {"role", "operator"},
                                             {"languages", boost::json::array{"en-GB"}},
                                             {"password", "sim-operator-password"}});
  boost::json::object centre{
      {"format", "lantern.centre.v1"}, {"operators", std::move(operators)}, {"persons", std::move(people)}};
  return boost::json::serialize(centre);
}

}  // namespace lantern::sim
