#include "web/report_route.hpp"

#include "centre/calendar.hpp"
#include "centre/case_command.hpp"
#include "listener/off_thread.hpp"

#include <boost/json.hpp>

#include <atomic>
#include <cstdio>

namespace lantern {
namespace {

namespace json = boost::json;

// One report at a time: each replays the whole history on the staff pool, and a burst of
// them (a held-down reload) would queue the records pages and the welfare list behind it.
std::atomic<bool> report_running{false};
struct one_report {
  bool mine = !report_running.exchange(true);
  ~one_report() {
    if (mine) report_running = false;
  }
};

constexpr std::array<const char*, 7> weekdays{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

std::string band_name(std::size_t band) {
  return band < answer_band_ends.size() ? "up to " + std::to_string(answer_band_ends[band]) + " s"
                                        : "over " + std::to_string(answer_band_ends.back()) + " s";
}

// A CSV field: quoted when it holds a comma, a quote or a line break; a leading = + - @
// is prefixed with ' so that a spreadsheet never runs a name as a formula.
std::string csv_field(std::string text) {
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) text = "'" + text;
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string number(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", x);
  return text;
}

// A median over nothing: empty in the CSV, null in the JSON.
std::string number(const std::optional<double>& x) { return x ? number(*x) : std::string(); }
json::value maybe(const std::optional<double>& x) { return x ? json::value(*x) : json::value(nullptr); }

}  // namespace

json::object service_report_json(const service_report& r) {
  json::array bands;
  for (std::size_t b = 0; b < r.answer_bands.size(); ++b)
    bands.push_back(json::object{{"band", band_name(b)}, {"calls", r.answer_bands[b]}});
  json::array by_day;
  for (std::size_t d = 0; d < 7; ++d) {
    json::array calls, medians;
    for (std::size_t h = 0; h < 24; ++h) {
      calls.push_back(r.calls_by_day_hour[d][h]);
      medians.push_back(maybe(r.median_answer_by_day_hour[d][h]));
    }
    by_day.push_back(json::object{{"day", weekdays[d]}, {"calls", calls}, {"median_answer_s", medians}});
  }
  json::array operators;
  for (const auto& o : r.operators)
    operators.push_back(json::object{{"username", o.username},
                                     {"name", o.name},
                                     {"cases_handled", o.cases_handled},
                                     {"median_answer_s", maybe(o.median_answer_s)},
                                     {"p90_answer_s", maybe(o.p90_answer_s)},
                                     {"median_handle_s", maybe(o.median_handle_s)}});
  json::object alarms, outcomes, outcome_labels;
  for (const auto& code : outcome_codes()) outcome_labels[code.id] = code.label;
  for (const auto& [type, n] : r.alarms_by_type) alarms[type] = n;
  for (const auto& [type, by_outcome] : r.outcomes_by_type) {
    json::object o;
    for (const auto& [outcome, n] : by_outcome) o[outcome] = n;
    outcomes[type] = std::move(o);
  }
  return json::object{{"centre", r.centre_name},
                      {"period",
                       {{"from", r.period.from},
                        {"to", r.period.to},
                        {"time_zone", r.period.time_zone},
                        {"from_ms", r.period.from_ms},
                        {"to_ms", r.period.to_ms},
                        {"in_progress", r.in_progress}}},
                      {"produced_at_ms", r.produced_at_ms},
                      {"alarm_calls",
                       {{"calls", r.alarm_calls},
                        {"answered_within_60s", r.answered_within_60s},
                        {"answered_within_180s", r.answered_within_180s},
                        {"decided_60s", r.decided_60s},
                        {"decided_180s", r.decided_180s},
                        {"share_60s", r.share_60s()},
                        {"share_180s", r.share_180s()},
                        {"target_60s", 0.975},
                        {"target_180s", 0.99},
                        {"still_waiting", r.still_waiting},
                        {"median_answer_s", maybe(r.median_answer_s)},
                        {"manual_cases", r.manual_cases}}},
                      {"answer_bands", bands},
                      {"by_day_and_hour", by_day},
                      {"operators", operators},
                      {"alarms_by_type", alarms},
                      {"outcomes_by_type", outcomes},
                      {"outcome_labels", outcome_labels},
                      {"escalations",
                       {{"started", r.escalations_started},
                        {"reached_responder", r.escalations_reached_responder},
                        {"handed_back", r.escalations_handed_back},
                        {"arrivals_overdue", r.arrivals_overdue},
                        {"median_to_on_the_way_s", maybe(r.median_to_on_the_way_s)}}},
                      {"technical",
                       {{"missed_checkins", r.missed_checkins},
                        {"low_batteries", r.low_batteries},
                        {"missed_checkin_cases_open_at_end", r.missed_checkin_cases_open_at_end}}},
                      {"plan_reviews_overdue_at_end", r.plan_reviews_overdue_at_end}};
}

std::string service_report_csv(const service_report& r) {
  std::string out = "section,item,detail,value\r\n";
  auto row = [&](const std::string& section, const std::string& item, const std::string& detail,
                 const std::string& value) {
    out += csv_field(section) + "," + csv_field(item) + "," + csv_field(detail) + "," + csv_field(value) + "\r\n";
  };
  row("period", "centre", "", r.centre_name);
  row("period", "from", "", r.period.from);
  row("period", "to", "", r.period.to);
  row("period", "time_zone", "", r.period.time_zone);
  row("period", "in_progress", "", r.in_progress ? "yes" : "no");
  row("period", "produced_at", "UTC", iso_date_of(r.produced_at_ms));
  row("alarm_calls", "calls", "", std::to_string(r.alarm_calls));
  row("alarm_calls", "answered_within_60s", "", std::to_string(r.answered_within_60s));
  row("alarm_calls", "share_60s", "target 0.975", number(r.share_60s()));
  row("alarm_calls", "answered_within_180s", "", std::to_string(r.answered_within_180s));
  row("alarm_calls", "share_180s", "target 0.99", number(r.share_180s()));
  row("alarm_calls", "still_waiting", "", std::to_string(r.still_waiting));
  row("alarm_calls", "median_answer_s", "", number(r.median_answer_s));
  row("alarm_calls", "manual_cases", "not in the rates", std::to_string(r.manual_cases));
  for (std::size_t b = 0; b < r.answer_bands.size(); ++b)
    row("answer_time", band_name(b), "calls", std::to_string(r.answer_bands[b]));
  for (std::size_t d = 0; d < 7; ++d)
    for (std::size_t h = 0; h < 24; ++h)
      if (r.calls_by_day_hour[d][h])
        row("day_and_hour", std::string(weekdays[d]) + " " + (h < 10 ? "0" : "") + std::to_string(h) + ":00",
            "calls; median answer s " + number(r.median_answer_by_day_hour[d][h]),
            std::to_string(r.calls_by_day_hour[d][h]));
  for (const auto& o : r.operators) {
    row("operator", o.name, "cases_handled", std::to_string(o.cases_handled));
    row("operator", o.name, "median_answer_s", number(o.median_answer_s));
    row("operator", o.name, "p90_answer_s", number(o.p90_answer_s));
    row("operator", o.name, "median_handle_s", number(o.median_handle_s));
  }
  for (const auto& [type, n] : r.alarms_by_type) row("alarms", type, "", std::to_string(n));
  for (const auto& [type, by_outcome] : r.outcomes_by_type)
    for (const auto& [outcome, n] : by_outcome) row("outcomes", type, outcome, std::to_string(n));
  row("escalations", "started", "", std::to_string(r.escalations_started));
  row("escalations", "reached_responder", "", std::to_string(r.escalations_reached_responder));
  row("escalations", "handed_back", "", std::to_string(r.escalations_handed_back));
  row("escalations", "arrivals_overdue", "", std::to_string(r.arrivals_overdue));
  row("escalations", "median_to_on_the_way_s", "", number(r.median_to_on_the_way_s));
  row("technical", "missed_checkins", "", std::to_string(r.missed_checkins));
  row("technical", "low_batteries", "", std::to_string(r.low_batteries));
  row("technical", "missed_checkin_cases_open_at_end", "", std::to_string(r.missed_checkin_cases_open_at_end));
  row("plan_reviews", "overdue_at_end", "", std::to_string(r.plan_reviews_overdue_at_end));
  return out;
}

net::awaitable<http_response> service_report_route(const http_request& request, web_context& context) {
  if (request.method() != http::verb::get)
    co_return json_response(http::status::method_not_allowed, json_error("use GET"), request);
  auto account = logged_in_account(request, context);
  if (!account) co_return json_response(http::status::unauthorized, json_error("log in first"), request);
  if (account->role == operator_role::operator_)
    co_return json_response(http::status::forbidden, json_error("service reports are for supervisors and admins"),
                            request);
  std::string_view target(request.target().data(), request.target().size());
  auto from = query_value(target, "from"), to = query_value(target, "to"), format = query_value(target, "format");
  if (format.empty()) format = "json";
  if (format != "json" && format != "csv")
    co_return json_response(http::status::bad_request, json_error("format must be json or csv", "format"), request);
  std::string time_zone, centre_name;
  {
    std::shared_lock lock(context.records.lock.get());
    time_zone = context.records.settings.time_zone;
    centre_name = context.records.settings.name;
  }
  std::string why;
  auto period = local_days(from, to, time_zone, why);
  if (!period)
    co_return json_response(http::status::bad_request,
                            json_error(why, why.starts_with("to") || why.starts_with("a report") ? "to" : "from"),
                            request);
  one_report turn;
  if (!turn.mine) {
    auto busy = json_response(http::status::service_unavailable,
                              json_error("another service report is being made: try again in a few seconds"), request);
    busy.set(http::field::retry_after, "2");
    co_return busy;
  }
  service_report report;
  try {
    auto make = [&reader = context.reader, period = *period, centre_name] {
      // The records as stored now (a copy): the replay never holds the live records' lock.
      auto records = reader.active_records();
      service_report_builder builder(records, period, centre_name);
      reader.replay_events([&builder](const desk_event& e) { builder.apply(e); });
      return builder.finish(now_ms());
    };
    report = co_await off_thread(context.staff_executor, std::move(make));
  } catch (const std::exception& e) {
    context.log->error("service report: {}", e.what());
    co_return json_response(http::status::service_unavailable, json_error("the report could not be made: try again"),
                            request);
  }
  if (format == "json")
    co_return json_response(http::status::ok, json::serialize(service_report_json(report)), request);
  http_response response{http::status::ok, request.version()};
  add_security_headers(response);
  response.set(http::field::content_type, "text/csv; charset=utf-8");
  response.set(http::field::cache_control, "no-store");
  response.set(http::field::content_disposition,
               "attachment; filename=\"lantern-service-" + period->from + "-to-" + period->to + ".csv\"");
  response.body() = service_report_csv(report);
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  co_return response;
}

}  // namespace lantern
