#pragma once
// One message to one responder: whose alarm, what and when, their link, and how long
// they have to reply; and the words it is sent in (email subject and body, gateway text).

#include "centre/centre.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace lantern {

struct notification {
  std::int64_t case_id = 0;
  int attempt = 0;
  carer to;  // a copy: the courier's threads never touch the centre
  std::string person_name;
  std::string alarm_label;  // "fall", "smoke"
  std::int64_t opened_at_ms = 0;
  std::int64_t reply_by_ms = 0;
  std::vector<std::string> channels;  // still to send on; empty: the courier chooses
};

// "03:12 on Sunday 22 November", on the carer's own clock.
std::string local_time_for(const carer& c, std::int64_t at_ms);

std::string email_subject(const notification& n);
// The message itself, with the carer's link; the same words for email and SMS.
std::string message_text(const notification& n, const std::string& link);

}  // namespace lantern
