#pragma once
// What a console asks about people rather than cases ("/" on the console): a search, one
// person's card (a sensitive read, recorded before it is sent), and a case opened by hand
// for someone who phoned in. Each answer goes to the console that asked.

#include "web/console_fanout.hpp"

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

}  // namespace lantern::console_lookups
