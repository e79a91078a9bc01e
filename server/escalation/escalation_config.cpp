#include "escalation/escalation_config.hpp"

#include "centre/parse_number.hpp"

#include <array>
#include <functional>
#include <string_view>

namespace lantern {
namespace {

struct config_key {
  const char* key;   // in the TOML file: table.key
  const char* flag;  // on the command line
  const char* help;
  std::function<std::optional<std::string>(escalation_config&, const std::string&)> set;
};

auto text_into(std::string escalation_config::*field) {
  return [field](escalation_config& c, const std::string& v) -> std::optional<std::string> {
    c.*field = v;
    return std::nullopt;
  };
}

template <typename Number>
auto number_into(Number escalation_config::*field, Number min, Number max) {
  return [field, min, max](escalation_config& c, const std::string& v) -> std::optional<std::string> {
    Number n{};
    if (!parse_number<Number>(v, n, min, max))
      return "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max);
    c.*field = n;
    return std::nullopt;
  };
}

auto url_into(std::string escalation_config::*field, std::initializer_list<const char*> schemes) {
  std::vector<std::string> allowed(schemes.begin(), schemes.end());
  return [field, allowed](escalation_config& c, const std::string& v) -> std::optional<std::string> {
    bool ok = v.empty();
    for (const auto& scheme : allowed) ok = ok || v.starts_with(scheme + "://");
    if (!ok) {
      std::string list;
      for (const auto& scheme : allowed) list += (list.empty() ? "" : " or ") + scheme + "://";
      return "must start with " + list;
    }
    c.*field = v;
    return std::nullopt;
  };
}

const std::array<config_key, 12>& keys() {
  static const std::array<config_key, 12> all{{
      {"links.public_url", "--public-url", "where carers' phones reach this server (links start with it)",
       url_into(&escalation_config::public_url, {"http", "https"})},
      {"links.ttl_s", "--link-ttl", "seconds a carer link works (default 43200)",
       number_into<std::int64_t>(&escalation_config::link_ttl_s, 600, 7 * 86400)},
      {"escalation.arrival_grace_s", "--arrival-grace", "seconds past a carer's ETA before the case is raised (600)",
       number_into<std::int64_t>(&escalation_config::arrival_grace_s, 0, 7200)},
      {"email.smtp_url", "--smtp-url", "SMTP server, e.g. smtp://127.0.0.1:2525 (empty: no email)",
       url_into(&escalation_config::smtp_url, {"smtp", "smtps"})},
      {"email.from", "--smtp-from", "sender address", text_into(&escalation_config::smtp_from)},
      {"email.username", "--smtp-user", "SMTP login (optional)", text_into(&escalation_config::smtp_user)},
      {"email.password", "--smtp-password", "SMTP password (optional)", text_into(&escalation_config::smtp_password)},
      {"webhook.url", "--webhook-url", "SMS/voice gateway URL that gets a JSON POST (empty: no webhook)",
       url_into(&escalation_config::webhook_url, {"http", "https"})},
      {"webhook.secret", "--webhook-secret", "key for the X-Lantern-Signature HMAC of each body",
       text_into(&escalation_config::webhook_secret)},
      {"webhook.timeout_ms", "--webhook-timeout-ms", "per try (default 5000)",
       number_into<int>(&escalation_config::webhook_timeout_ms, 100, 60000)},
      {"webhook.tries", "--webhook-tries", "tries per notification (default 3)",
       number_into<int>(&escalation_config::webhook_tries, 1, 10)},
      {"webhook.retry_backoff_ms", "--webhook-backoff-ms", "wait before the second try, doubled after (1000)",
       number_into<int>(&escalation_config::retry_backoff_ms, 10, 60000)},
  }};
  return all;
}

}  // namespace

std::optional<std::string> set_config_value(escalation_config& config, const std::string& key,
                                            const std::string& value) {
  for (const auto& k : keys())
    if (key == k.key || key == k.flag) {
      if (auto error = k.set(config, value)) return std::string(k.key) + ": " + *error;
      return std::nullopt;
    }
  return "unknown setting '" + key + "'";
}

bool is_config_flag(std::string_view flag) {
  for (const auto& k : keys())
    if (flag == k.flag) return true;
  return false;
}

std::vector<config_key_help> config_keys() {
  std::vector<config_key_help> out;
  for (const auto& k : keys()) out.push_back({k.key, k.flag, k.help});
  return out;
}

}  // namespace lantern
