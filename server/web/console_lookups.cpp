#include "web/console_lookups.hpp"

#include "centre/calendar.hpp"
#include "centre/people_search.hpp"
#include "web/console_messages.hpp"

namespace lantern::console_lookups {

namespace v1 = lantern::console::v1;

namespace {

void send(const std::weak_ptr<console_subscriber>& console, const v1::ConsoleEvent& event) {
  if (auto live = console.lock()) live->deliver(std::make_shared<const std::string>(console_messages::to_json(event)));
}

void refuse(const std::weak_ptr<console_subscriber>& console, const std::string& request_id, refusal_code code,
            std::string why) {
  answer_on(console, request_id)(refusal{code, std::move(why)});
}

}  // namespace

void find_person(const centre& records, net::any_io_executor executor, std::weak_ptr<console_subscriber> console,
                 std::string request_id, std::string query) {
  if (query.size() > max_search_length)
    return refuse(console, request_id, refusal_code::invalid,
                  "the search is too long (at most " + std::to_string(max_search_length) + " characters)");
  net::post(executor,
            [&records, console = std::move(console), request_id = std::move(request_id), query = std::move(query)] {
              std::shared_lock lock(records.lock.get());
              auto found = find_people(records, query);
              v1::ConsoleEvent event;
              auto* people = event.mutable_people();
              people->set_request_id(request_id);
              people->set_more(static_cast<std::uint32_t>(found.more));
              for (const auto& m : found.matches) {
                auto* out = people->add_matches();
                out->set_person_id(m.who->id);
                out->set_name(m.who->name);
                out->set_date_of_birth(m.who->date_of_birth);
                out->set_address(m.who->address);
                out->set_phone(m.who->phone);
                for (const auto& d : m.device_ids) out->add_device_ids(d);
                out->set_matched_on(m.matched_on);
              }
              send(console, event);
            });
}

void open_person(desk_core& core, std::weak_ptr<console_subscriber> console, std::string actor, std::string request_id,
                 std::string person_id) {
  record_change read;
  read.kind = record_kind::person;
  read.action = change_action::person_read;
  read.id = person_id;
  read.actor = std::move(actor);
  read.at_ms = now_ms();
  core.change_record(std::move(read), [&core, console = std::move(console), request_id = std::move(request_id),
                                       person_id](const change_result& result) {
    core.post([&core, console, request_id, person_id, outcome = result.outcome] {
      const auto* who = core.records().find_person(person_id);
      if (outcome == change_result::status::not_found || (outcome == change_result::status::done && !who))
        return refuse(console, request_id, refusal_code::invalid, "no person '" + person_id + "'");
      if (outcome != change_result::status::done)
        return refuse(console, request_id, refusal_code::not_stored, "the read could not be recorded: try again");
      v1::ConsoleEvent event;
      event.mutable_person_opened()->set_request_id(request_id);
      *event.mutable_person_opened()->mutable_card() =
          console_messages::person_card(*who, core.records(), core.cases().history_of(person_id), core.now());
      send(console, event);
    });
  });
}

void open_case(desk_core& core, std::weak_ptr<console_subscriber> console, std::string actor, std::string request_id,
               std::string person_id, std::string type, std::string note) {
  core.open_case_by_hand(std::move(actor), std::move(person_id), std::move(type), std::move(note),
                         answer_on(std::move(console), std::move(request_id)));
}

void device_status(const centre& records, const std::function<device_health(const std::string&)>& health_of,
                   std::weak_ptr<console_subscriber> console, std::string request_id, const std::string& device_id) {
  int interval_s = 0;
  {
    std::shared_lock lock(records.lock.get());
    if (auto device = records.find_device(device_id)) interval_s = device->heartbeat_interval_s;
  }
  auto health = interval_s && health_of ? health_of(device_id) : device_health{};
  if (!health.supervised) {
    auto shown = device_id.size() > 64 ? device_id.substr(0, 64) + "…" : device_id;
    return refuse(console, request_id, refusal_code::invalid, "no device '" + shown + "'");
  }
  v1::ConsoleEvent event;
  auto* out = event.mutable_device_status();
  out->set_request_id(std::move(request_id));
  out->set_device_id(device_id);
  out->set_last_heard_ms(health.last_heard_ms);
  out->set_battery_pct(health.battery_pct);
  out->set_battery_at_ms(health.battery_at_ms);
  out->set_battery_low(health.battery_low);
  out->set_missed_checkin(health.missed_checkin);
  out->set_due_by_ms(health.due_by_ms);
  out->set_heartbeat_interval_s(interval_s);
  send(console, event);
}

}  // namespace lantern::console_lookups
