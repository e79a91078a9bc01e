#pragma once
// GET /api/v1/welfare?from=MS&to=MS: every person with alarms or missed check-ins in the
// window, with how to reach them, for the calls a centre makes after an outage. For every
// logged-in member of staff; read on the verify pool from its own read-only connection, so
// the journal and the I/O threads never wait for it.

#include "web/http_routes.hpp"

namespace lantern {

net::awaitable<http_response> welfare_list_route(const http_request& request, web_context& context);

}  // namespace lantern
