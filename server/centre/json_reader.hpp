#pragma once
// Reads a JSON object field by field, recording each problem with the path of the field
// ("persons[3] (person-ann-lee).plan.rules[0].type"), so an administrator is told exactly
// what to fix. Reading goes on after an error so one pass reports them all.

#include <boost/json/value.hpp>

#include <functional>
#include <string>
#include <vector>

namespace lantern {

struct field_error {
  std::string field;    // path of the field, e.g. "operators[1].role"
  std::string message;  // what is wrong with it, e.g. "must be one of operator, supervisor, admin"
};

class json_reader {
 public:
  json_reader(const boost::json::value* value, std::string path, std::vector<field_error>& errors);

  const std::string& path() const { return path_; }
  bool ok() const { return object_ != nullptr; }
  // Renames this record in later error paths, once its id is known.
  void set_label(const std::string& id);

  std::string text(const char* key, bool required, std::size_t max_length = 2000);
  int integer(const char* key, int min, int max, int fallback);
  bool flag(const char* key, bool fallback);
  // An object whose members are all strings ({"fall": "..."}), in the file's order.
  std::vector<std::pair<std::string, std::string>> text_map(const char* key, std::size_t max_items,
                                                            std::size_t max_length);
  // A list of non-empty strings.
  std::vector<std::string> texts(const char* key, std::size_t max_items = 50, std::size_t max_length = 200);
  json_reader object(const char* key, bool required);
  // Calls `read` for every element of an array of objects.
  void each(const char* key, bool required, const std::function<void(json_reader&)>& read);
  // Records an error against a field of this object.
  void fail(const char* key, std::string message);
  // Reports every key this reader was not asked for: a misspelt key is a mistake, not a default.
  void reject_unknown_keys();

 private:
  const boost::json::value* member(const char* key, bool required);
  std::string field_path(const char* key) const;

  const boost::json::object* object_ = nullptr;
  std::string path_;
  std::vector<field_error>* errors_;
  std::vector<std::string> known_keys_;
};

}  // namespace lantern
