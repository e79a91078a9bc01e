#pragma once
// GET /api/v1/reports/service?from=YYYY-MM-DD&to=YYYY-MM-DD&format=json|csv: the service
// report (desk/service_report) for supervisors and admins, days in the centre's time zone.
// The events are replayed on the staff pool from a read-only connection in one read
// transaction, so the journal and the I/O threads never wait for it.

#include "desk/service_report.hpp"
#include "web/http_routes.hpp"

#include <boost/json/object.hpp>

namespace lantern {

net::awaitable<http_response> service_report_route(const http_request& request, web_context& context);

// The report's two forms (also what the reports page draws from).
boost::json::object service_report_json(const service_report& r);
std::string service_report_csv(const service_report& r);

}  // namespace lantern
