#include "web/http_routes.hpp"

#include "centre/calendar.hpp"
#include "centre/secrets.hpp"
#include "listener/off_thread.hpp"
#include "web/admin_routes.hpp"
#include "web/console_files.hpp"
#include "web/login_body.hpp"
#include "web/unit_signals_route.hpp"
#include "web/report_route.hpp"
#include "web/welfare_route.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace lantern {
namespace {

constexpr std::string_view cookie_name = "lantern_session";

std::string cookie_value(const http_request& request) {
  auto header = request[http::field::cookie];
  std::string_view rest(header.data(), header.size());
  while (!rest.empty()) {
    auto end = rest.find(';');
    auto pair = rest.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.starts_with(cookie_name) && pair.size() > cookie_name.size() && pair[cookie_name.size()] == '=')
      return std::string(pair.substr(cookie_name.size() + 1));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return {};
}

// `secure` under TLS: the browser then never sends the login over plain HTTP.
std::string session_cookie(const std::string& token, int max_age_s, bool secure) {
  return std::string(cookie_name) + "=" + token +
         "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" + std::to_string(max_age_s) + (secure ? "; Secure" : "");
}

boost::json::object operator_json(const operator_account& account) {
  return {{"username", account.username},
          {"display_name", account.display_name},
          {"role", std::string(to_string(account.role))},
          {"languages", boost::json::value_from(account.languages)}};
}

http_response try_later(http::status status, std::int64_t after_s, std::string message, const http_request& request) {
  auto response = json_response(status, json_error(message), request);
  response.set(http::field::retry_after, std::to_string(after_s));
  return response;
}

net::awaitable<http_response> login(const http_request& request, web_context& context, const std::string& source) {
  if (request.method() != http::verb::post)
    co_return json_response(http::status::method_not_allowed, json_error("use POST"), request);
  // JSON only: a form post from another site's page (text/plain needs no CORS preflight)
  // is not a login.
  auto type = request[http::field::content_type];
  if (std::string_view(type.data(), type.size()).substr(0, type.find(';')) != "application/json")
    co_return json_response(http::status::unsupported_media_type, json_error("send the login as application/json"),
                            request);
  auto parsed = parse_login_body(request.body());
  if (auto* problem = std::get_if<login_problem>(&parsed))
    co_return json_response(http::status::bad_request, json_error(problem->message, problem->field), request);
  auto& [username, password] = std::get<login_request>(parsed);
  if (auto wait = context.login_attempts.wait_s(source, username, now_ms())) {
    context.log->warn("login for '{}' from {} throttled: too many failures", username.substr(0, 64), source);
    co_return try_later(http::status::too_many_requests, wait,
                        "too many failed logins: wait " + std::to_string(wait) + " s and try again", request);
  }
  if (!context.login_attempts.start_check())
    co_return try_later(http::status::service_unavailable, 1, "the centre is busy checking logins: try again", request);
  // The same slow check runs for an unknown name, so timing does not reveal which names exist.
  static const std::string decoy = hash_password("lantern-decoy-password");
  auto account = find_operator(context, username);
  std::string hash = account ? account->password_hash : decoy;
  auto check = [hash, password] { return verify_secret(hash, password); };
  bool ok = false;
  {
    struct slot_held {
      login_throttle& attempts;
      ~slot_held() { attempts.end_check(); }
    } slot{context.login_attempts};
    ok = co_await off_thread(context.login_executor, std::move(check));
  }
  if (!ok || !account) {
    context.login_attempts.failed(source, username, now_ms());
    context.log->info("refused login for '{}' from {}", username.substr(0, 64), source);
    co_return json_response(http::status::unauthorized, json_error("wrong username or password"), request);
  }
  context.login_attempts.succeeded(username);
  std::string token;
  try {
    token = context.logins.create(username);
  } catch (const std::exception& e) {
    // A full disk, say: the login could not be kept, so it is not given.
    context.log->error("login for '{}' could not be stored: {}", username, e.what());
    co_return try_later(http::status::service_unavailable, 30, "the centre cannot store logins just now: try again",
                        request);
  }
  auto response = json_response(http::status::ok, boost::json::serialize(operator_json(*account)), request);
  response.set(http::field::set_cookie, session_cookie(token, 12 * 3600, context.tls != nullptr));
  context.log->info("operator '{}' logged in", username);
  co_return response;
}

http_response static_response(const http_request& request, web_context& context) {
  // Every carer link opens the same page; the page reads its token from the address and
  // shows nothing until the server has checked it over /ws.
  auto key = console_file_key(request.target());
  bool carer_page = key && key->starts_with("carer/") && key->find('/', 6) == std::string::npos;
  const auto* file =
      context.files.find(carer_page ? std::string_view("/carer.html") : std::string_view(request.target()));
  if (!file) return json_response(http::status::not_found, json_error("no such page"), request);
  http_response response{http::status::ok, request.version()};
  response.set(http::field::content_type, file->content_type);
  response.set(http::field::cache_control, "no-cache");
  add_security_headers(response);
  response.set("Content-Security-Policy",
               "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'");
  response.body() = file->body;
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

}  // namespace

std::string query_value(std::string_view target, std::string_view key) {
  auto q = target.find('?');
  if (q == std::string_view::npos) return {};
  auto rest = target.substr(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    auto pair = rest.substr(0, amp);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == key) {
      std::string out;
      auto raw = pair.substr(eq + 1);
      for (std::size_t i = 0; i < raw.size(); ++i) {
        unsigned char value = 0;
        if (raw[i] == '%' && i + 2 < raw.size() &&
            std::from_chars(raw.data() + i + 1, raw.data() + i + 3, value, 16).ptr == raw.data() + i + 3) {
          out += static_cast<char>(value);
          i += 2;
        } else {
          out += raw[i] == '+' ? ' ' : raw[i];
        }
      }
      return out;
    }
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return {};
}

std::string json_error(std::string_view message, std::string_view field) {
  boost::json::object error{{"error", message}};
  if (!field.empty()) error["field"] = field;
  return boost::json::serialize(error);
}

void add_security_headers(http_response& response) {
  response.set("X-Content-Type-Options", "nosniff");
  // Nothing of the console is ever framed by another page (clickjacking); JSON runs nothing.
  response.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  // A carer page's address holds its token: never send it on to another site.
  response.set("Referrer-Policy", "no-referrer");
}

std::string host_name(std::string_view host_and_port) {
  // An IPv6 literal keeps its brackets; one never closed is taken whole (and matches nothing).
  auto end = host_and_port.starts_with('[') ? host_and_port.find(']') + 1 : host_and_port.find(':');
  std::string name(host_and_port.substr(0, end == 0 ? std::string_view::npos : end));
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

bool host_allowed(const http_request& request, const web_context& context) {
  auto header = request[http::field::host];
  auto name = host_name(std::string_view(header.data(), header.size()));
  return std::find(context.allowed_hosts.begin(), context.allowed_hosts.end(), name) != context.allowed_hosts.end();
}

http_response json_response(http::status status, std::string body, const http_request& request) {
  http_response response{status, request.version()};
  add_security_headers(response);
  response.set(http::field::content_type, "application/json");
  response.set(http::field::cache_control, "no-store");
  response.body() = std::move(body);
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

std::optional<operator_account> find_operator(web_context& context, const std::string& username) {
  std::shared_lock lock(context.records.lock.get());
  auto it = context.records.operators.find(username);
  if (it == context.records.operators.end()) return std::nullopt;
  return it->second;
}

std::string login_token(const http_request& request) { return cookie_value(request); }

std::optional<operator_account> logged_in_account(const http_request& request, web_context& context) {
  auto token = cookie_value(request);
  if (token.empty()) return std::nullopt;
  auto username = context.logins.find(token);
  // An account deactivated since login no longer opens anything.
  return username ? find_operator(context, *username) : std::nullopt;
}

std::optional<std::string> logged_in_user(const http_request& request, web_context& context) {
  auto account = logged_in_account(request, context);
  if (!account) return std::nullopt;
  return account->username;
}

bool from_foreign_origin(const http_request& request) {
  auto origin = request[http::field::origin];
  if (origin.empty()) return false;  // not a browser page: authentication still applies
  auto host = request[http::field::host];
  std::string_view o(origin.data(), origin.size());
  auto scheme_end = o.find("://");
  if (scheme_end == std::string_view::npos) return true;
  return o.substr(scheme_end + 3) != std::string_view(host.data(), host.size());
}

net::awaitable<http_response> handle_request(const http_request& request, web_context& context,
                                             const std::string& source) {
  std::string_view target(request.target().data(), request.target().size());
  std::string_view path = target.substr(0, target.find('?'));
  if (path.starts_with("/api/") && from_foreign_origin(request))
    co_return json_response(http::status::forbidden, json_error("requests from other sites are refused"), request);
  if (path == "/api/v1/login") co_return co_await login(request, context, source);
  if (path == "/api/v1/logout") {
    if (request.method() != http::verb::post)
      co_return json_response(http::status::method_not_allowed, json_error("use POST"), request);
    context.logins.revoke(cookie_value(request));
    auto response = json_response(http::status::ok, R"({"logged_out":true})", request);
    response.set(http::field::set_cookie, session_cookie("", 0, context.tls != nullptr));
    co_return response;
  }
  if (path == "/api/v1/me") {
    auto account = logged_in_account(request, context);
    if (!account) co_return json_response(http::status::unauthorized, json_error("log in first"), request);
    co_return json_response(http::status::ok, boost::json::serialize(operator_json(*account)), request);
  }
  if (path == "/api/v1/welfare") co_return co_await welfare_list_route(request, context);
  if (path == "/api/v1/reports/service") co_return co_await service_report_route(request, context);
  if (path == "/api/v1/unit-signals") co_return unit_signals_route(request, context);
  if (is_admin_path(path)) co_return co_await admin_route(request, context);
  if (path == "/healthz") {
    auto problem = context.core.journal().storage_problem();
    boost::json::object health{{"status", problem.empty() ? "ok" : "failing"},
                               {"journal_queue_depth", context.core.journal().queue_depth()}};
    if (!problem.empty()) health["journal"] = "cannot store alarms: " + problem;
    co_return json_response(problem.empty() ? http::status::ok : http::status::service_unavailable,
                            boost::json::serialize(health), request);
  }
  if (path.starts_with("/api/"))
    co_return json_response(http::status::not_found, json_error("no such API route"), request);
  if (request.method() != http::verb::get && request.method() != http::verb::head)
    co_return json_response(http::status::method_not_allowed, json_error("use GET"), request);
  co_return static_response(request, context);
}

}  // namespace lantern
