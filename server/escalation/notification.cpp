#include "escalation/notification.hpp"

#include <date/tz.h>

namespace lantern {

std::string local_time_for(const carer& c, std::int64_t at_ms) {
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(c.time_zone.empty() ? "UTC" : c.time_zone);
  } catch (const std::runtime_error&) {
    zone = date::locate_zone("UTC");
  }
  auto local = zone->to_local(date::sys_seconds(std::chrono::seconds(at_ms / 1000)));
  return date::format("%H:%M on %A %e %B", local);
}

std::string email_subject(const notification& n) {
  return "Lantern: " + n.person_name + " needs help (" + n.alarm_label + " alarm)";
}

std::string message_text(const notification& n, const std::string& link) {
  std::string first_name = n.to.name.substr(0, n.to.name.find(' '));
  return n.person_name + " raised a " + n.alarm_label + " alarm at " + local_time_for(n.to, n.opened_at_ms) + ".\n\n" +
         first_name +
         ", the monitoring centre is asking you to help. Please open this link and say whether you can go "
         "(reply by " +
         local_time_for(n.to, n.reply_by_ms) + "):\n\n" + link +
         "\n\nThe link shows what you need to know, and the address once you say you are going.\n";
}

}  // namespace lantern
