#pragma once
// The two ways a notification leaves the centre, both through libcurl: an email over SMTP,
// and a JSON POST to a webhook (an SMS or voice gateway). Blocking: the courier's threads
// call them. Each says what happened in words fit for the case timeline.

#include "escalation/escalation_config.hpp"
#include "escalation/notification.hpp"

#include <atomic>
#include <string>

namespace lantern {

struct delivery_outcome {
  bool ok = false;
  // In words for the operator: "accepted by the mail server", "the mail server refused it (550)".
  std::string detail;
  std::string raw{};  // the library's own words, for the log only
};

delivery_outcome send_email(const escalation_config& config, const notification& n, const std::string& link);

// Tries again after a network error, a 5xx or a 429, waiting retry_backoff_ms, then twice
// that, ...; gives up at once on any other 4xx. Every try carries the same Idempotency-Key,
// so a gateway that got an earlier try sends the message once. `stopping` cuts waits short.
delivery_outcome post_webhook(const escalation_config& config, const notification& n, const std::string& link,
                              const std::string& idempotency_key, const std::atomic<bool>& stopping);

}  // namespace lantern
