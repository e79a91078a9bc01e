#include "web/welfare_route.hpp"

#include "centre/parse_number.hpp"
#include "listener/off_thread.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

namespace lantern {
namespace {

constexpr std::int64_t longest_window_ms = 31LL * 24 * 3600 * 1000;

}  // namespace

net::awaitable<http_response> welfare_list_route(const http_request& request, web_context& context) {
  if (!logged_in_user(request, context))
    co_return json_response(http::status::unauthorized, json_error("log in first"), request);
  std::string_view target(request.target().data(), request.target().size());
  std::int64_t from = 0, to = 0;
  auto from_text = query_value(target, "from"), to_text = query_value(target, "to");
  if (!parse_number<std::int64_t>(from_text, from, 0, INT64_MAX))
    co_return json_response(
        http::status::bad_request,
        json_error("from must be a time in milliseconds since 1970, not '" + from_text + "'", "from"), request);
  if (!parse_number<std::int64_t>(to_text, to, 0, INT64_MAX))
    co_return json_response(http::status::bad_request,
                            json_error("to must be a time in milliseconds since 1970, not '" + to_text + "'", "to"),
                            request);
  if (to <= from)
    co_return json_response(http::status::bad_request, json_error("to must be after from", "to"), request);
  if (to - from > longest_window_ms)
    co_return json_response(http::status::bad_request, json_error("the window may be at most 31 days", "to"), request);

  std::vector<welfare_row> rows;
  try {
    auto read = [&reader = context.reader, from, to] { return reader.welfare(from, to); };
    rows = co_await off_thread(context.staff_executor, std::move(read));
  } catch (const std::exception& e) {
    context.log->error("welfare list: {}", e.what());
    co_return json_response(http::status::service_unavailable, json_error("the list could not be read: try again"),
                            request);
  }
  boost::json::array persons;
  std::shared_lock lock(context.records.lock.get());
  for (const auto& row : rows) {
    boost::json::object by_type;
    for (const auto& [type, count] : row.by_type) by_type[type] = count;
    boost::json::object person{{"person_id", row.person_id},
                               {"alarms", row.alarms},
                               {"missed_checkins", row.missed_checkins},
                               {"last_at_ms", row.last_at_ms},
                               {"by_type", std::move(by_type)}};
    if (const auto* p = context.records.find_person(row.person_id)) {
      person["name"] = p->name;
      person["phone"] = p->phone;
      person["address"] = p->address;
    }
    persons.push_back(std::move(person));
  }
  co_return json_response(
      http::status::ok,
      boost::json::serialize(boost::json::object{{"from", from}, {"to", to}, {"persons", std::move(persons)}}),
      request);
}

}  // namespace lantern
