#pragma once
// How escalation reaches carers: the channels (SMTP email, an HTTP webhook for an SMS or
// voice gateway), the public address carer links start with, and the default timings. Each
// key is set from lantern.toml or its flag (the server's option table hands them here).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lantern {

struct escalation_config {
  std::string public_url = "http://127.0.0.1:8080";  // carer links: <public_url>/carer/<token>
  std::int64_t link_ttl_s = 12 * 3600;               // a carer link stops working after this
  std::int64_t arrival_grace_s = 600;                // late past the ETA by this raises the case
  std::string smtp_url;                              // e.g. smtp://mail.example.org:587; empty: no email
  std::string smtp_from = "lantern@localhost";
  std::string smtp_user;
  std::string smtp_password;
  std::string webhook_url;     // empty: no webhook
  std::string webhook_secret;  // signs each body (HMAC-SHA256, X-Lantern-Signature)
  int webhook_timeout_ms = 5000;
  int webhook_tries = 3;        // a 5xx or a network error is tried again, with backoff
  int retry_backoff_ms = 1000;  // doubles after each try
};

// Applies `key` (as in the file: "email.smtp_url") = `value` (as text). Returns why not
// when the key is unknown or the value out of range.
std::optional<std::string> set_config_value(escalation_config& config, const std::string& key,
                                            const std::string& value);

// Whether `flag` ("--smtp-url") sets one of the keys.
bool is_config_flag(std::string_view flag);

// Every key with the flag that sets it and its help, in the file's order (the server's
// --help lists them with its own).
struct config_key_help {
  std::string_view key;   // table.key
  std::string_view flag;  // --flag
  std::string_view help;
};
std::vector<config_key_help> config_keys();

}  // namespace lantern
