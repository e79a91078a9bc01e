#pragma once
// What a console asks about people rather than cases ("/" on the console): a search, one
// person's card (a sensitive read, recorded before it is sent), a case opened by hand for
// someone who phoned in, and a device's health for the card. Each answer goes to the
// console that asked.

#include "centre/device_health.hpp"
#include "web/console_fanout.hpp"

#include <functional>
#include <memory>
#include <string>

namespace lantern::console_lookups {

// Thread-safe. Answered with a PeopleFound message, or a refusal for a search too long. Runs on
// `executor` under the records' shared lock, never on the core's strand: a search of ten
// thousand people must not hold up an alarm.
void find_person(const centre& records, net::any_io_executor executor, std::weak_ptr<console_subscriber> console,
                 std::string request_id, std::string query);
// Thread-safe. Answered with a PersonOpened message once the read is stored, or a refusal.
void open_person(desk_core& core, std::weak_ptr<console_subscriber> console, std::string actor, std::string request_id,
                 std::string person_id);
// Thread-safe. Answered like a command: ok once the case is stored (its update follows).
void open_case(desk_core& core, std::weak_ptr<console_subscriber> console, std::string actor, std::string request_id,
               std::string person_id, std::string type, std::string note);

// Thread-safe and quick. Answered with a DeviceStatus message, or a refusal for a device the
// centre does not have.
void device_status(const centre& records, const std::function<device_health(const std::string&)>& health_of,
                   std::weak_ptr<console_subscriber> console, std::string request_id, const std::string& device_id);

}  // namespace lantern::console_lookups
