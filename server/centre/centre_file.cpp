#include "centre/centre_file.hpp"

#include "centre/record_json.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <map>

namespace lantern {
namespace {

// The map's records in id order: an export must not depend on hash-table order.
template <typename Map>
std::vector<typename Map::const_iterator> in_id_order(const Map& map) {
  std::vector<typename Map::const_iterator> out;
  for (auto it = map.begin(); it != map.end(); ++it) out.push_back(it);
  std::sort(out.begin(), out.end(), [](auto a, auto b) { return a->first < b->first; });
  return out;
}

}  // namespace

std::string write_centre_file(const centre& records) {
  std::map<std::string, boost::json::array> devices_of;
  for (auto it : in_id_order(records.devices)) {
    auto device = to_json(*it->second, secret_hashes::include);
    device.erase("person_id");  // nested in its person
    devices_of[it->second->person_id].push_back(std::move(device));
  }
  boost::json::array operators, carers, persons;
  for (auto it : in_id_order(records.operators)) operators.push_back(to_json(it->second, secret_hashes::include));
  for (auto it : in_id_order(records.carers)) carers.push_back(to_json(it->second));
  for (auto it : in_id_order(records.persons)) {
    auto p = to_json(it->second);
    p["devices"] = std::move(devices_of[it->first]);
    persons.push_back(std::move(p));
  }
  boost::json::object file{{"format", centre_file_format}};
  if (records.settings_given) {
    file["centre"] = about_centre(records.settings);
    file["default_instructions"] = default_instructions_json(records.settings);
    file["canned_notes"] = canned_notes_json(records.settings);
  }
  file["operators"] = std::move(operators);
  file["carers"] = std::move(carers);
  file["persons"] = std::move(persons);
  return boost::json::serialize(file);
}

}  // namespace lantern
