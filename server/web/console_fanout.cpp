#include "web/console_fanout.hpp"

#include "web/console_messages.hpp"
#include "web/floor_view.hpp"

#include <algorithm>

namespace lantern {

namespace v1 = lantern::console::v1;

std::function<void(const command_answer&)> answer_on(std::weak_ptr<console_subscriber> console,
                                                     std::string request_id) {
  return [console = std::move(console), request_id = std::move(request_id)](const command_answer& answer) {
    if (auto live = console.lock())
      live->deliver(std::make_shared<const std::string>(console_messages::result_json(request_id, answer)));
  };
}

void console_fanout::case_changed(const case_record& c, const case_change& change) {
  if (change.restored) return;  // before any console
  ++version_;
  // Serialised once for all consoles, and not at all when none is listening (a console that
  // comes gets the case whole in its snapshot, so the next update sends it whole too).
  if (consoles_.empty())
    sent_.forget(c.case_id);
  else
    broadcast_update(c, change.opened || change.plan_changed);
  if (change.owner_needs_access()) send_access(c);
}

void console_fanout::broadcast_update(const case_record& c, bool with_person) {
  v1::ConsoleEvent event;
  auto* update = event.mutable_update();
  update->set_version(version_);
  update->set_server_time_ms(core_.now());
  // The card is most of an update's bytes and a console already has it from the update
  // that opened the case (or its snapshot): sent again only then. Of the timeline, only the
  // new entries and the last one sent (it may have changed: "3 repeats"); of the rest, only
  // what changed.
  console_messages::case_parts parts{.person = with_person, .now_ms = core_.now()};
  if (!with_person) parts.timeline_from = sent_.timeline_from(c.case_id);
  const auto& records = core_.records();
  auto& sent_case = *update->mutable_case_();
  sent_case = console_messages::case_message(c, records, core_.cases().history_of(c.person_id), parts);
  if (c.is_open())
    sent_.trim(sent_case, c.case_id, c.timeline.size());
  else
    sent_.forget(c.case_id);  // sent whole; a reopened case starts again from the whole timeline
  log_.append(console_messages::to_compact_json(event));
  // After the rest of this burst (a commit's events come in one go) has been logged too.
  if (wake_posted_) return;
  wake_posted_ = true;
  core_.post([this] {
    wake_posted_ = false;
    wake_consoles();
  });
}

void console_fanout::wake_consoles() {
  std::erase_if(consoles_, [&](const live_console& entry) {
    auto console = entry.console.lock();
    if (console) console->updates_arrived();
    return !console;
  });
}

void console_fanout::send_to_user(const std::string& username, const std::shared_ptr<const std::string>& message) {
  for (const auto& entry : consoles_)
    if (entry.username == username)
      if (auto console = entry.console.lock()) console->deliver(message);
}

// Access details are what a responder needs at the door today (a key safe's new code), so
// they come from the current record, unlike the rest of the plan the case opened under.
const person* console_fanout::access_of(const case_record& c) const {
  const auto& records = core_.records();
  const auto* now = records.find_person(c.person_id);
  return now ? now : person_of(c, records);
}

void console_fanout::send_access(const case_record& c) {
  const auto* p = access_of(c);
  if (c.owner.empty() || p == nullptr) return;
  v1::ConsoleEvent event;
  event.mutable_access()->set_case_id(std::to_string(c.case_id));
  event.mutable_access()->set_access(p->access);
  send_to_user(c.owner, std::make_shared<const std::string>(console_messages::to_json(event)));
}

std::shared_ptr<const std::string> console_fanout::snapshot_for(const std::string& username) const {
  const auto& records = core_.records();
  const auto& cases = core_.cases();
  v1::ConsoleEvent event;
  auto* snapshot = event.mutable_snapshot();
  snapshot->set_version(version_);
  snapshot->set_server_time_ms(core_.now());
  if (auto it = records.operators.find(username); it != records.operators.end())
    *snapshot->mutable_operator_() = console_messages::operator_message(it->second);
  snapshot->set_presence(std::string(to_string(core_.chosen_presence(username))));
  for (const auto* c : cases.queue()) {
    *snapshot->add_cases() =
        console_messages::case_message(*c, records, cases.history_of(c->person_id), {.now_ms = core_.now()});
    const auto* p = access_of(*c);
    if (c->owner == username && p != nullptr) {
      auto* access = snapshot->add_access();
      access->set_case_id(std::to_string(c->case_id));
      access->set_access(p->access);
    }
  }
  for (const auto* c : cases.recently_resolved())
    *snapshot->add_recently_resolved() = console_messages::case_message(*c, records, cases.history_of(c->person_id));
  console_messages::add_vocabulary(*snapshot);
  console_messages::add_centre(*snapshot, records.settings);
  for (const auto& [_, account] : records.operators)
    if (works_cases(account.role)) *snapshot->add_operators() = console_messages::operator_message(account);
  return std::make_shared<const std::string>(console_messages::to_json(event));
}

void console_fanout::subscribe(std::weak_ptr<console_subscriber> console, std::string username) {
  core_.post([this, console = std::move(console), username = std::move(username)] {
    auto live = console.lock();
    if (!live) return;
    const auto& operators = core_.records().operators;
    auto account = operators.find(username);
    bool sees_floor = account != operators.end() && account->second.role != operator_role::operator_;
    core_.set_online(username, true);
    // On the strand, so no update can fall between the snapshot and the subscription.
    live->deliver_snapshot(snapshot_for(username), log_.end());
    consoles_.push_back({console, username, sees_floor});
    if (sees_floor) send_floor_view();
  });
}

void console_fanout::unsubscribe(std::string username) {
  core_.post([this, username = std::move(username)] {
    std::erase_if(consoles_, [](const live_console& entry) { return entry.console.expired(); });
    bool still_here = std::any_of(consoles_.begin(), consoles_.end(),
                                  [&](const live_console& entry) { return entry.username == username; });
    if (!still_here) core_.set_online(username, false);
  });
}

void console_fanout::resync(std::weak_ptr<console_subscriber> console, std::string username) {
  core_.post([this, console = std::move(console), username = std::move(username)] {
    if (auto live = console.lock()) live->deliver_snapshot(snapshot_for(username), log_.end());
  });
}

void console_fanout::command(std::weak_ptr<console_subscriber> console, std::string actor, std::string request_id,
                             case_command command) {
  core_.command({std::move(actor), std::move(command), answer_on(std::move(console), std::move(request_id))});
}

void console_fanout::presence_chosen(const std::string& username, presence state) {
  v1::ConsoleEvent event;
  event.mutable_presence()->set_presence(std::string(to_string(state)));
  send_to_user(username, std::make_shared<const std::string>(console_messages::to_json(event)));
}

void console_fanout::ticked(std::int64_t, bool) {
  send_floor_view();
  for (const auto& entry : consoles_)
    if (auto console = entry.console.lock()) console->check_reading();
}

void console_fanout::send_floor_view() {
  bool anyone_watching =
      std::any_of(consoles_.begin(), consoles_.end(), [](const live_console& entry) { return entry.sees_floor; });
  if (!anyone_watching) return;
  auto now = core_.now();
  v1::ConsoleEvent event;
  *event.mutable_floor() = floor_view(core_.cases(), core_.records(), now, local_midnight_ms(now));
  auto message = std::make_shared<const std::string>(console_messages::to_json(event));
  for (const auto& entry : consoles_)
    if (entry.sees_floor)
      if (auto console = entry.console.lock()) console->deliver(message);
}

}  // namespace lantern
