// libFuzzer target: any body POSTed to /api/v1/login. Either a named problem, or a username
// and password that are present and within their bounds; anything else is a finding.
#include "web/login_body.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lantern;
  auto parsed = parse_login_body({reinterpret_cast<const char*>(data), size});
  if (auto* problem = std::get_if<login_problem>(&parsed)) {
    if (problem->message.empty()) std::abort();
    return 0;
  }
  const auto& login = std::get<login_request>(parsed);
  if (login.username.empty() || login.password.empty() || login.username.size() > max_username_length ||
      login.password.size() > max_password_length)
    std::abort();
  return 0;
}
