#pragma once
// The admin API: /api/v1/persons, /carers, /devices and /operators (list, get, create,
// update, deactivate), a person's plan review and subject-access record, and the whole
// centre as a centre file. Admins write; supervisors read; operators get what their
// console needs over /ws, and nothing here. Documented in operator-console/openapi.json.

#include "web/http_routes.hpp"

namespace lantern {

// Whether `path` is one of the admin API's.
bool is_admin_path(std::string_view path);

net::awaitable<http_response> admin_route(const http_request& request, web_context& context);

}  // namespace lantern
