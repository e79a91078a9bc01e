#include "web/login_body.hpp"

#include <boost/json/parse.hpp>

namespace lantern {

std::variant<login_request, login_problem> parse_login_body(std::string_view body) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(body, ec);
  const auto* fields = ec ? nullptr : parsed.if_object();
  if (fields == nullptr) return login_problem{"the body must be a JSON object", ""};
  login_request out;
  for (auto [key, into, most] : {std::tuple{"username", &out.username, max_username_length},
                                 std::tuple{"password", &out.password, max_password_length}}) {
    const auto* v = fields->if_contains(key);
    if (v == nullptr || !v->is_string() || v->as_string().empty())
      return login_problem{std::string(key) + " is required and must be a string", key};
    if (v->as_string().size() > most)
      return login_problem{std::string(key) + " is too long (at most " + std::to_string(most) + " bytes)", key};
    *into = std::string(v->as_string());
  }
  return out;
}

}  // namespace lantern
