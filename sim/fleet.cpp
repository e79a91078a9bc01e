#include "fleet.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace lantern::sim {

std::vector<fleet_device> load_fleet(const std::string& centre_file) {
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
      const auto* id = d.is_object() ? d.as_object().if_contains("id") : nullptr;
      const auto* token = d.is_object() ? d.as_object().if_contains("token") : nullptr;
      if (id && token && id->is_string() && token->is_string())
        fleet.push_back({std::string(id->as_string()), std::string(token->as_string())});
    }
  }
  return fleet;
}

std::string make_centre_file(int persons) {
  boost::json::array people;
  for (int n = 1; n <= persons; ++n) {
    auto id = std::to_string(n);
    boost::json::object plan{{"review_due", "2027-06-01"}, {"responders", boost::json::array{}}};
    boost::json::array devices;
    devices.emplace_back(boost::json::object{{"id", "sim-" + id},
                                             {"kind", "pendant"},
                                             {"token", "sim-token-" + id + "-lantern"},
                                             {"heartbeat_interval_s", 60}});
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
