#include "web/admin_routes.hpp"

#include "centre/calendar.hpp"
#include "centre/centre_file.hpp"
#include "centre/parse_number.hpp"
#include "centre/record_json.hpp"
#include "centre/secrets.hpp"
#include "listener/off_thread.hpp"
#include "web/admin_path.hpp"
#include "web/record_change_body.hpp"

#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <array>
#include <memory>

// GCC 12 reports Asio's own coroutine-frame delete as mismatched with its new when these
// coroutines are inlined into one another: a false positive of that compiler.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace lantern {
namespace {

constexpr std::int64_t outcome_window_ms = 90LL * 24 * 3600 * 1000;  // a review looks back 90 days

enum class access_details { left_out, shown };

http_response json_answer(http::status status, boost::json::value body, const http_request& request,
                          access_details access = access_details::left_out) {
  if (access == access_details::left_out) remove_access(body);
  return json_response(status, boost::json::serialize(body), request);
}

http_response error(http::status status, std::string_view message, const http_request& request,
                    std::string_view field = {}) {
  return json_response(status, json_error(message, field), request);
}

// A 422 naming every field that is wrong, and the first as `field`.
http_response field_errors(const std::vector<field_error>& errors, const http_request& request) {
  boost::json::array list;
  for (const auto& e : errors) list.push_back(boost::json::object{{"field", e.field}, {"message", e.message}});
  boost::json::object body{{"error", errors.front().field + ": " + errors.front().message},
                           {"field", errors.front().field},
                           {"errors", std::move(list)}};
  return json_answer(http::status::unprocessable_entity, body, request);
}

// Who is asking, when they may: admins for every change (and the export, which holds the
// secrets' hashes), supervisors and admins to read.
std::variant<operator_account, http_response> caller(const http_request& request, web_context& context,
                                                     bool admin_only) {
  auto account = logged_in_account(request, context);
  if (!account) return error(http::status::unauthorized, "log in first", request);
  if (admin_only && account->role != operator_role::admin)
    return error(http::status::forbidden, "only an admin may do this", request);
  if (account->role == operator_role::operator_)
    return error(http::status::forbidden,
                 "operators see a person's plan on their cases in the console; records need a supervisor or admin",
                 request);
  return *account;
}

// The body as a JSON object, or why not.
std::variant<boost::json::object, http_response> json_body(const http_request& request) {
  auto type = request[http::field::content_type];
  if (!std::string_view(type.data(), type.size()).starts_with("application/json"))
    return error(http::status::unsupported_media_type, "send the body as JSON (Content-Type: application/json)",
                 request, "(body)");
  boost::system::error_code ec;
  auto body = boost::json::parse(request.body(), ec);
  if (ec) return error(http::status::bad_request, "the body is not valid JSON: " + ec.message(), request, "(body)");
  if (!body.is_object()) return error(http::status::bad_request, "the body must be a JSON object", request, "(body)");
  return std::move(body.as_object());
}

// The answer to a stored change, counted by its result.
http_response change_answer(change_result result, const http_request& request, http::status done_status,
                            web_context& context, record_kind kind) {
  using status = change_result::status;
  static constexpr std::string_view results[] = {"done", "not_found", "conflict", "refused", "failed"};
  context.figures.record_changes(to_string(kind), results[static_cast<int>(result.outcome)]).Increment();
  auto current = result.current ? boost::json::value(to_json(*result.current)) : boost::json::value(nullptr);
  switch (result.outcome) {
    case status::done:
      return json_answer(done_status, current, request);
    case status::not_found:
      return error(http::status::not_found, result.message, request);
    case status::conflict:
      return json_answer(http::status::conflict, boost::json::object{{"error", result.message}, {"current", current}},
                         request);
    case status::refused:
      return error(http::status::conflict, result.message, request);
    default:
      return error(http::status::service_unavailable, result.message, request);
  }
}

// Hands a change to the core; resumes the caller once it is durable and live, refused or failed.
// Not a coroutine (see off_thread.hpp).
net::awaitable<change_result> journal_change(desk_core& core, record_change change) {
  auto initiate = [&core](auto handler, record_change change) {
    auto caller = net::prefer(net::get_associated_executor(handler), net::execution::outstanding_work.tracked);
    // The journal keeps its callback in a std::function, which must be copyable.
    auto waiting = std::make_shared<decltype(handler)>(std::move(handler));
    core.change_record(std::move(change), [waiting, caller](change_result result) {
      net::post(caller, [waiting, result = std::move(result)]() mutable { std::move (*waiting)(std::move(result)); });
    });
  };
  return net::async_initiate<const net::use_awaitable_t<>&, void(change_result)>(initiate, net::use_awaitable,
                                                                                 std::move(change));
}

// Runs `query` on the records as stored, off the I/O threads.
template <typename Query>
auto read_off_thread(web_context& context, Query query) {
  return off_thread(context.staff_executor,
                    [&reader = context.reader, query = std::move(query)] { return query(reader); });
}

std::variant<record_query, http_response> list_query(const http_request& request, const admin_path& path) {
  std::string_view target(request.target().data(), request.target().size());
  record_query query;
  query.search = query_value(target, "q");
  if (query.search.size() > 100)
    return error(http::status::bad_request, "q must be at most 100 characters", request, "q");
  for (auto [key, out, max] :
       {std::tuple{"page", &query.page, 1'000'000}, std::tuple{"per_page", &query.per_page, 200}}) {
    auto text = query_value(target, key);
    if (!text.empty() && !parse_number(text, *out, 1, max))
      return error(http::status::bad_request,
                   std::string(key) + " must be a whole number from 1 to " + std::to_string(max) + ", not '" +
                       text.substr(0, 20) + "'",
                   request, key);
  }
  auto inactive = query_value(target, "include_inactive");
  if (!inactive.empty() && inactive != "true" && inactive != "false")
    return error(http::status::bad_request, "include_inactive must be true or false", request, "include_inactive");
  query.active_only = inactive != "true";
  auto review = query_value(target, "review");
  if (!review.empty()) {
    if (review != "overdue" || path.of->kind != record_kind::person)
      return error(http::status::bad_request, "review=overdue is the only review filter, and only for persons", request,
                   "review");
    query.review_overdue = true;
    query.today = iso_date_of(now_ms());
  }
  return query;
}

// A device's last contact from supervision, when it is newer than the saved one.
void freshen_last_seen(boost::json::object& device, web_context& context) {
  if (!context.device_health_of) return;
  auto live = context.device_health_of(std::string(device.at("id").as_string())).last_heard_ms;
  if (live > device.at("last_seen_ms").to_number<std::int64_t>()) device["last_seen_ms"] = live;
}

net::awaitable<http_response> list(const http_request& request, web_context& context, const admin_path& path) {
  auto parsed = list_query(request, path);
  if (auto* refusal = std::get_if<http_response>(&parsed)) co_return std::move(*refusal);
  auto query = [kind = path.of->kind, q = std::get<record_query>(parsed)](record_reader& records) {
    return records.list(kind, q);
  };
  auto page = co_await read_off_thread(context, std::move(query));
  if (path.of->kind == record_kind::device)
    for (auto& device : page.at("items").as_array()) freshen_last_seen(device.as_object(), context);
  co_return json_answer(http::status::ok, page, request);
}

// A sensitive read of a person's record stored as an audit event, durable before anything is
// shown: empty when the read may go ahead, else the refusal.
net::awaitable<std::optional<http_response>> read_recorded(const http_request& request, web_context& context,
                                                           change_action action, const std::string& person_id,
                                                           const std::string& reader) {
  record_change read;
  read.kind = record_kind::person;
  read.action = action;
  read.id = person_id;
  read.actor = reader;
  read.at_ms = now_ms();
  auto result = co_await journal_change(context.core, std::move(read));
  if (result.outcome == change_result::status::not_found)
    co_return error(http::status::not_found, "no such person", request);
  if (result.outcome != change_result::status::done)
    co_return error(http::status::service_unavailable, "the read could not be recorded: try again", request);
  co_return std::nullopt;
}

// ?include=access: an admin reading a person's access details. The read is an audited
// event, durable before the details are shown; empty when it may go ahead, else the refusal.
net::awaitable<std::optional<http_response>> audit_access_read(const http_request& request, web_context& context,
                                                               const admin_path& path, const operator_account& reader) {
  if (path.of->kind != record_kind::person)
    co_return error(http::status::bad_request, "include=access is only for persons", request, "include");
  if (reader.role != operator_role::admin)
    co_return error(http::status::forbidden, "only an admin may read access details outside a case", request,
                    "include");
  auto refused = co_await read_recorded(request, context, change_action::access_read, path.id, reader.username);
  if (!refused) context.log->info("{} read the access details of {}", reader.username, path.id);
  co_return refused;
}

net::awaitable<http_response> get_one(const http_request& request, web_context& context, const admin_path& path,
                                      const operator_account& reader) {
  auto include = query_value(std::string_view(request.target().data(), request.target().size()), "include");
  if (!include.empty() && include != "access")
    co_return error(http::status::bad_request, "include=access is the only include", request, "include");
  auto access = include.empty() ? access_details::left_out : access_details::shown;
  if (access == access_details::shown)
    if (auto refusal = co_await audit_access_read(request, context, path, reader)) co_return std::move(*refusal);
  auto query = [kind = path.of->kind, id = path.id](record_reader& records) {
    return records.read(kind, id, now_ms() - outcome_window_ms);
  };
  auto record = co_await read_off_thread(context, std::move(query));
  if (!record) co_return error(http::status::not_found, "no such " + std::string(to_string(path.of->kind)), request);
  if (path.of->kind == record_kind::device) freshen_last_seen(*record, context);
  co_return json_answer(http::status::ok, std::move(*record), request, access);
}

// A create or an update: checked by the centre file's rules, secrets hashed, then stored.
net::awaitable<http_response> save(const http_request& request, web_context& context, const admin_path& path,
                                   const operator_account& admin) {
  auto parsed = json_body(request);
  if (auto* refusal = std::get_if<http_response>(&parsed)) co_return std::move(*refusal);
  auto& body = std::get<boost::json::object>(parsed);
  bool updating = !path.id.empty();
  record_change change;
  {
    std::shared_lock lock(context.records.lock.get());
    auto built = change_from_record_body(path.of->kind, path.of->key, path.id, std::move(body), context.records);
    if (auto* errors = std::get_if<std::vector<field_error>>(&built)) {
      context.figures.record_changes(to_string(path.of->kind), "invalid").Increment();
      co_return field_errors(*errors, request);
    }
    change = std::move(std::get<record_change>(built));
  }
  // A new password or token is hashed off the I/O threads (Argon2id is slow on purpose).
  if (auto* a = std::get_if<operator_account>(&change.record); a && !a->password_hash.empty()) {
    auto hash = [plain = a->password_hash] { return hash_password(plain); };
    a->password_hash = co_await off_thread(context.staff_executor, std::move(hash));
  } else if (auto* d = std::get_if<device_record>(&change.record); d && !d->token_hash.empty()) {
    auto hash = [plain = d->token_hash] { return hash_device_token(plain); };
    d->token_hash = co_await off_thread(context.staff_executor, std::move(hash));
  }
  change.actor = admin.username;
  change.at_ms = now_ms();
  auto result = co_await journal_change(context.core, std::move(change));
  if (result.outcome == change_result::status::done)
    context.log->info("{} {} {} {}", admin.username, updating ? "updated" : "created", to_string(path.of->kind),
                      path.id.empty() ? "" : path.id);
  co_return change_answer(std::move(result), request, updating ? http::status::ok : http::status::created, context,
                          path.of->kind);
}

// Deactivate, or mark a plan reviewed: a change to an existing record that names its version.
net::awaitable<http_response> act(const http_request& request, web_context& context, const admin_path& path,
                                  const operator_account& admin) {
  auto parsed = json_body(request);
  if (auto* refusal = std::get_if<http_response>(&parsed)) co_return std::move(*refusal);
  auto& body = std::get<boost::json::object>(parsed);
  auto built = change_from_action_body(path.of->kind, path.id, path.action, std::move(body), now_ms());
  if (auto* errors = std::get_if<std::vector<field_error>>(&built)) {
    context.figures.record_changes(to_string(path.of->kind), "invalid").Increment();
    co_return field_errors(*errors, request);
  }
  auto change = std::move(std::get<record_change>(built));
  change.actor = admin.username;
  auto result = co_await journal_change(context.core, std::move(change));
  if (result.outcome == change_result::status::done)
    context.log->info("{} {} {} {}", admin.username, path.action == "review" ? "reviewed the plan of" : "deactivated",
                      to_string(path.of->kind), path.id);
  co_return change_answer(std::move(result), request, http::status::ok, context, path.of->kind);
}

net::awaitable<http_response> subject_access(const http_request& request, web_context& context, const admin_path& path,
                                             const operator_account& reader) {
  if (auto refused =
          co_await read_recorded(request, context, change_action::subject_access_export, path.id, reader.username))
    co_return std::move(*refused);
  context.log->info("{} exported the subject-access record of {}", reader.username, path.id);
  auto query = [id = path.id](record_reader& records) { return records.subject_access(id); };
  auto record = co_await read_off_thread(context, std::move(query));
  if (!record) co_return error(http::status::not_found, "no such person", request);
  for (auto& device : record->at("devices").as_array()) freshen_last_seen(device.as_object(), context);
  co_return json_answer(http::status::ok, *record, request);
}

net::awaitable<http_response> centre_file_export(const http_request& request, web_context& context) {
  auto query = [](record_reader& records) { return write_centre_file(records.active_records()); };
  auto text = co_await read_off_thread(context, std::move(query));
  auto response = json_response(http::status::ok, std::move(text), request);
  response.set(http::field::content_disposition, "attachment; filename=\"centre.json\"");
  co_return response;
}

net::awaitable<http_response> dispatch(const http_request& request, web_context& context) {
  std::string_view target(request.target().data(), request.target().size());
  auto path = *parse_admin_path(target.substr(0, target.find('?')));
  auto method = request.method();
  bool writes = method != http::verb::get;
  // Which methods the address takes, and whether it names anything at all.
  std::string_view allowed;
  if (path.of != nullptr && path.of->kind == record_kind::settings && (path.id != "centre" || !path.action.empty()))
    co_return error(http::status::not_found, "the centre's settings are at /api/v1/settings/centre", request);
  if (path.of == nullptr)
    allowed = "GET";
  else if (path.id.empty())
    allowed = "GET, POST";
  else if (path.action.empty())
    allowed = "GET, PUT";
  else if (path.action == "deactivate" || (path.action == "review" && path.of->kind == record_kind::person))
    allowed = "POST";
  else if (path.action == "record" && path.of->kind == record_kind::person)
    allowed = "GET";
  else
    co_return error(http::status::not_found, "no such API route", request);
  if (!path.id.empty() && !is_record_id(path.id))
    co_return error(http::status::not_found, "no such " + std::string(to_string(path.of->kind)), request);
  if (allowed.find(std::string_view(http::to_string(method))) == std::string_view::npos) {
    auto response = error(http::status::method_not_allowed, "use " + std::string(allowed), request);
    response.set(http::field::allow, allowed);
    co_return response;
  }

  auto who = caller(request, context, writes || path.of == nullptr);
  if (auto* refusal = std::get_if<http_response>(&who)) co_return std::move(*refusal);
  const auto& account = std::get<operator_account>(who);
  if (path.of == nullptr) co_return co_await centre_file_export(request, context);
  if (path.action == "record") co_return co_await subject_access(request, context, path, account);
  if (!path.action.empty()) co_return co_await act(request, context, path, account);
  if (writes) co_return co_await save(request, context, path, account);
  if (path.id.empty()) co_return co_await list(request, context, path);
  co_return co_await get_one(request, context, path, account);
}

}  // namespace

bool is_admin_path(std::string_view path) { return parse_admin_path(path).has_value(); }

net::awaitable<http_response> admin_route(const http_request& request, web_context& context) {
  std::optional<std::string> failure;
  try {
    co_return co_await dispatch(request, context);
  } catch (const std::exception& e) {
    failure = e.what();
  }
  // A database that stayed locked, say: the request is still answered, and nothing changed.
  context.log->error("records API {}: {}", std::string_view(request.target()).substr(0, 200), *failure);
  co_return error(http::status::service_unavailable, "the records could not be read: try again", request);
}

}  // namespace lantern
