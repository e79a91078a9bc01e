#pragma once
// GET /api/v1/unit-signals: what alarm units sent that no record covers yet, for the
// records pages: signals from unallocated DC-09 accounts (account, first and last seen,
// count, last source and event) and key-change requests (account, time, fingerprint).
// Administrators and supervisors, as for the records.

#include "web/http_routes.hpp"

namespace lantern {

http_response unit_signals_route(const http_request& request, web_context& context);

}  // namespace lantern
