#include "centre/json_reader.hpp"

#include <algorithm>

namespace lantern {

json_reader::json_reader(const boost::json::value* value, std::string path, std::vector<field_error>& errors)
    : path_(std::move(path)), errors_(&errors) {
  if (value == nullptr) return;
  object_ = value->if_object();
  if (object_ == nullptr) errors_->push_back({path_.empty() ? "(top level)" : path_, "must be an object"});
}

void json_reader::set_label(const std::string& id) {
  // A record read alone (an API body) is named by its address already.
  if (!id.empty() && !path_.empty()) path_ += " (" + id + ")";
}

std::string json_reader::field_path(const char* key) const {
  return path_.empty() ? std::string(key) : path_ + "." + key;
}

void json_reader::fail(const char* key, std::string message) {
  errors_->push_back({field_path(key), std::move(message)});
}

const boost::json::value* json_reader::member(const char* key, bool required) {
  known_keys_.emplace_back(key);
  if (object_ == nullptr) return nullptr;
  const auto* found = object_->if_contains(key);
  if (found == nullptr && required) fail(key, "is required");
  return found;
}

std::string json_reader::text(const char* key, bool required, std::size_t max_length) {
  const auto* v = member(key, required);
  if (v == nullptr) return {};
  const auto* s = v->if_string();
  if (s == nullptr) {
    fail(key, "must be a string");
    return {};
  }
  if (required && s->empty()) fail(key, "must not be empty");
  if (s->size() > max_length) fail(key, "must be at most " + std::to_string(max_length) + " characters");
  return std::string(*s);
}

bool json_reader::flag(const char* key, bool fallback) {
  const auto* v = member(key, false);
  if (v == nullptr) return fallback;
  if (!v->is_bool()) {
    fail(key, "must be true or false");
    return fallback;
  }
  return v->as_bool();
}

int json_reader::integer(const char* key, int min, int max, int fallback) {
  const auto* v = member(key, false);
  if (v == nullptr) return fallback;
  if (!v->is_int64() || v->as_int64() < min || v->as_int64() > max) {
    fail(key, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return fallback;
  }
  return static_cast<int>(v->as_int64());
}

std::vector<std::string> json_reader::texts(const char* key, std::size_t max_items, std::size_t max_length) {
  std::vector<std::string> out;
  const auto* v = member(key, false);
  if (v == nullptr) return out;
  const auto* array = v->if_array();
  if (array == nullptr || array->size() > max_items ||
      !std::all_of(array->begin(), array->end(), [](const auto& e) { return e.is_string(); })) {
    fail(key, "must be a list of at most " + std::to_string(max_items) + " strings");
    return out;
  }
  if (!std::all_of(array->begin(), array->end(),
                   [&](const auto& e) { return !e.as_string().empty() && e.as_string().size() <= max_length; })) {
    fail(key, "each entry must be from 1 to " + std::to_string(max_length) + " characters");
    return out;
  }
  for (const auto& e : *array) out.emplace_back(e.as_string());
  return out;
}

std::vector<std::pair<std::string, std::string>> json_reader::text_map(const char* key, std::size_t max_items,
                                                                       std::size_t max_length) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto* v = member(key, false);
  if (v == nullptr) return out;
  const auto* o = v->if_object();
  if (o == nullptr || o->size() > max_items) {
    fail(key, "must be an object of at most " + std::to_string(max_items) + " texts");
    return out;
  }
  for (const auto& [name, text] : *o) {
    if (!text.is_string() || text.as_string().size() > max_length) {
      fail(key, "'" + std::string(name) + "' must be a text of at most " + std::to_string(max_length) + " characters");
      continue;
    }
    out.emplace_back(std::string(name), std::string(text.as_string()));
  }
  return out;
}

json_reader json_reader::object(const char* key, bool required) {
  return json_reader(member(key, required), field_path(key), *errors_);
}

void json_reader::each(const char* key, bool required, const std::function<void(json_reader&)>& read) {
  const auto* v = member(key, required);
  if (v == nullptr) return;
  const auto* array = v->if_array();
  if (array == nullptr) {
    fail(key, "must be a list");
    return;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    json_reader element(&(*array)[i], field_path(key) + "[" + std::to_string(i) + "]", *errors_);
    if (element.ok()) read(element);
  }
}

void json_reader::reject_unknown_keys() {
  if (object_ == nullptr) return;
  for (const auto& entry : *object_) {
    std::string key(entry.key());
    if (std::find(known_keys_.begin(), known_keys_.end(), key) == known_keys_.end())
      errors_->push_back({field_path(key.c_str()), "is not a known field"});
  }
}

}  // namespace lantern
