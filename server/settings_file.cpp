#include "settings_file.hpp"

#include <toml++/toml.h>

#include <charconv>
#include <fstream>
#include <sstream>

namespace lantern {

settings_or_error read_settings_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (!(in && text << in.rdbuf())) return path + ": cannot be read";
  return parse_settings_text(text.str(), path);
}

settings_or_error parse_settings_text(std::string_view text, const std::string& source) {
  toml::table file;
  try {
    file = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return source + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " +
           std::string(e.description());
  }
  std::vector<setting> settings;
  for (const auto& [table_name, table] : file) {
    const auto* section = table.as_table();
    if (section == nullptr)
      return source + ": '" + std::string(table_name.str()) + "' must be a table such as [server]";
    for (const auto& [name, node] : *section) {
      std::string key = std::string(table_name.str()) + "." + std::string(name.str());
      // By kind, never converted inside toml++: a float out of an integer's range is
      // undefined there. A float goes on as text, and a whole-number key refuses it.
      std::string value;
      if (node.is_string()) {
        value = *node.value<std::string>();
      } else if (node.is_integer()) {
        value = std::to_string(*node.value<std::int64_t>());
      } else if (node.is_floating_point()) {
        char shortest[32];
        auto end = std::to_chars(shortest, shortest + sizeof shortest, *node.value<double>()).ptr;
        value.assign(shortest, end);
        // 2.0 stays a float ("2" would pass for a whole number).
        if (value.find_first_of(".einf") == std::string::npos) value += ".0";
      } else {
        return source + ": " + key + " must be a string or a number";
      }
      settings.push_back({std::move(key), std::move(value)});
    }
  }
  return settings;
}

}  // namespace lantern
