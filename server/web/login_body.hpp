#pragma once
// A login request's body, `{"username": "...", "password": "..."}`, checked before any
// hash is computed: what is wrong is named, with the field.

#include <string>
#include <string_view>
#include <variant>

namespace lantern {

struct login_request {
  std::string username;
  std::string password;
};

struct login_problem {
  std::string message;
  std::string field;  // empty: the body as a whole
};

inline constexpr std::size_t max_username_length = 128;
inline constexpr std::size_t max_password_length = 1024;

std::variant<login_request, login_problem> parse_login_body(std::string_view body);

}  // namespace lantern
