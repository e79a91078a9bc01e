#include "web/unit_signals_route.hpp"

#include <boost/json.hpp>

namespace lantern {

http_response unit_signals_route(const http_request& request, web_context& context) {
  auto account = logged_in_account(request, context);
  if (!account) return json_response(http::status::unauthorized, json_error("log in first"), request);
  if (account->role == operator_role::operator_)
    return json_response(http::status::forbidden, json_error("for supervisors and administrators"), request);
  if (request.method() != http::verb::get)
    return json_response(http::status::method_not_allowed, json_error("use GET"), request);
  boost::json::array unallocated;
  for (const auto& u : context.signals.unallocated_now())
    unallocated.push_back({{"account", u.account},
                           {"first_seen_ms", u.first_seen_ms},
                           {"last_seen_ms", u.last_seen_ms},
                           {"count", u.count},
                           {"last_source", u.last_source},
                           {"last_event", u.last_event}});
  boost::json::array key_requests;
  for (const auto& k : context.signals.key_requests())
    key_requests.push_back(
        {{"device_id", k.device_id}, {"account", k.account}, {"at_ms", k.at_ms}, {"fingerprint", k.fingerprint}});
  return json_response(http::status::ok,
                       boost::json::serialize(boost::json::object{{"unallocated", std::move(unallocated)},
                                                                  {"key_requests", std::move(key_requests)}}),
                       request);
}

}  // namespace lantern
