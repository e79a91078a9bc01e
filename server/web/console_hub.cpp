#include "web/console_hub.hpp"

#include <boost/asio/post.hpp>

#include "centre/calendar.hpp"
#include "web/console_messages.hpp"
#include "web/floor_view.hpp"

namespace lantern {

namespace v1 = lantern::console::v1;

console_hub::console_hub(net::any_io_executor io, centre& records, journal& store, metrics& figures,
                         std::shared_ptr<spdlog::logger> log, carer_links& links, desk_settings settings)
    : strand_(net::make_strand(io)),
      records_(records),
      store_(store),
      metrics_(figures),
      log_(std::move(log)),
      desk_(records, settings),
      save_timer_(strand_),
      tick_timer_(strand_),
      links_(links) {}

void console_hub::restore(desk_restore_point point) {
  desk_.restore(point);
  if (!point.unapplied.empty()) {
    log_->info("applying {} events stored after the cases were last saved", point.unapplied.size());
    apply(point.unapplied);
  }
  // Links back in force; notifications whose results were never recorded go out again.
  for (const auto* c : desk_.queue()) escalation_changed(*c);
  update_gauges();
  net::post(strand_, [this] { tick(); });
}

void console_hub::events_committed(std::vector<desk_event> events) {
  net::post(strand_, [this, events = std::move(events)] { apply(events); });
}

void console_hub::apply(const std::vector<desk_event>& events) {
  for (const auto& event : events) {
    if (const auto* alarm = std::get_if<alarm_event>(&event))
      apply_alarm(*alarm);
    else if (const auto* action = std::get_if<case_action>(&event))
      apply_action(*action);
    else
      apply_record_update(std::get<record_update>(event));
  }
  schedule_projection_save();
  update_gauges();
}

void console_hub::apply_alarm(const alarm_event& alarm) {
  if (const auto* c = desk_.apply(alarm))
    changed(*c, alarm.event_id, c->first_event_id == alarm.event_id);
  else
    unsaved_watermark_ = alarm.event_id;
}

void console_hub::changed(const case_record& c, std::int64_t event_id, bool with_person) {
  ++version_;
  // Serialised once for all consoles, and not at all when none is listening.
  if (!consoles_.empty()) broadcast_update(c, with_person);
  unsaved_.insert(c.case_id);
  unsaved_watermark_ = event_id;
}

void console_hub::schedule_projection_save() {
  if (save_scheduled_) return;
  save_scheduled_ = true;
  save_timer_.expires_after(std::chrono::milliseconds(200));
  save_timer_.async_wait([this](const boost::system::error_code&) {
    save_scheduled_ = false;
    save_projection();
  });
}

void console_hub::save_projection() {
  if (unsaved_.empty()) return;
  std::vector<case_record> changed;
  changed.reserve(unsaved_.size());
  for (auto id : unsaved_)
    if (const auto* c = desk_.find(id)) changed.push_back(*c);
  unsaved_.clear();
  // The cases and how far into the events they reach are saved in one transaction.
  store_.save_cases(std::move(changed), unsaved_watermark_);
}

void console_hub::save_and_then(std::function<void()> then) {
  net::post(strand_, [this, then = std::move(then)] {
    save_timer_.cancel();
    tick_timer_.cancel();
    save_projection();
    then();
  });
}

void console_hub::broadcast_update(const case_record& c, bool with_person) {
  v1::ConsoleEvent event;
  auto* update = event.mutable_update();
  update->set_version(version_);
  update->set_server_time_ms(now_ms());
  // The card is most of an update's bytes and a console already has it from the update
  // that opened the case (or its snapshot): sent again only then. Of the timeline, only the
  // new entries and the last one sent (it may have changed: "3 repeats").
  console_messages::case_parts parts{.person = with_person};
  if (auto sent = timeline_sent_.find(c.case_id); !with_person && sent != timeline_sent_.end() && sent->second > 1)
    parts.timeline_from = sent->second - 1;
  *update->mutable_case_() = console_messages::case_message(c, records_, desk_.history_of(c.person_id), parts);
  if (c.is_open())
    timeline_sent_[c.case_id] = c.timeline.size();
  else
    timeline_sent_.erase(c.case_id);  // a reopened case starts again from the whole timeline
  broadcast(std::make_shared<const std::string>(console_messages::to_compact_json(event)));
}

void console_hub::broadcast(const std::shared_ptr<const std::string>& message) {
  std::erase_if(consoles_, [&](const live_console& entry) {
    auto console = entry.console.lock();
    if (console) console->deliver(message);
    return !console;
  });
}

void console_hub::send_to_user(const std::string& username, const std::shared_ptr<const std::string>& message) {
  for (const auto& entry : consoles_)
    if (entry.username == username)
      if (auto console = entry.console.lock()) console->deliver(message);
}

// Access details are what a responder needs at the door today (a key safe's new code), so
// they come from the current record, unlike the rest of the plan the case opened under.
const person* console_hub::access_of(const case_record& c) const {
  const auto* now = records_.find_person(c.person_id);
  return now ? now : person_of(c, records_);
}

void console_hub::send_access(const case_record& c) {
  const auto* p = access_of(c);
  if (c.owner.empty() || p == nullptr) return;
  v1::ConsoleEvent event;
  event.mutable_access()->set_case_id(std::to_string(c.case_id));
  event.mutable_access()->set_access(p->access);
  send_to_user(c.owner, std::make_shared<const std::string>(console_messages::to_json(event)));
}

std::shared_ptr<const std::string> console_hub::snapshot_for(const std::string& username) const {
  v1::ConsoleEvent event;
  auto* snapshot = event.mutable_snapshot();
  snapshot->set_version(version_);
  snapshot->set_server_time_ms(now_ms());
  if (auto it = records_.operators.find(username); it != records_.operators.end())
    *snapshot->mutable_operator_() = console_messages::operator_message(it->second);
  snapshot->set_presence(std::string(to_string(chosen_presence_of(username))));
  for (const auto* c : desk_.queue()) {
    *snapshot->add_cases() = console_messages::case_message(*c, records_, desk_.history_of(c->person_id));
    const auto* p = access_of(*c);
    if (c->owner == username && p != nullptr) {
      auto* access = snapshot->add_access();
      access->set_case_id(std::to_string(c->case_id));
      access->set_access(p->access);
    }
  }
  for (const auto* c : desk_.recently_resolved())
    *snapshot->add_recently_resolved() = console_messages::case_message(*c, records_, desk_.history_of(c->person_id));
  console_messages::add_vocabulary(*snapshot);
  for (const auto& [_, account] : records_.operators)
    if (works_cases(account.role)) *snapshot->add_operators() = console_messages::operator_message(account);
  return std::make_shared<const std::string>(console_messages::to_json(event));
}

void console_hub::subscribe(std::weak_ptr<console_subscriber> console, std::string username) {
  net::post(strand_, [this, console = std::move(console), username = std::move(username)] {
    auto live = console.lock();
    if (!live) return;
    auto account = records_.operators.find(username);
    bool sees_floor = account != records_.operators.end() && account->second.role != operator_role::operator_;
    desk_.set_presence(username, chosen_presence_of(username));
    // On the strand, so no update can fall between the snapshot and the subscription.
    live->deliver_snapshot(snapshot_for(username));
    consoles_.push_back({console, username, sees_floor});
    if (sees_floor) send_floor_view();
  });
}

void console_hub::unsubscribe(std::string username) {
  net::post(strand_, [this, username = std::move(username)] {
    std::erase_if(consoles_, [](const live_console& entry) { return entry.console.expired(); });
    bool still_here = std::any_of(consoles_.begin(), consoles_.end(),
                                  [&](const live_console& entry) { return entry.username == username; });
    if (!still_here) desk_.set_presence(username, presence::offline);
  });
}

void console_hub::resync(std::weak_ptr<console_subscriber> console, std::string username) {
  net::post(strand_, [this, console = std::move(console), username = std::move(username)] {
    if (auto live = console.lock()) live->deliver_snapshot(snapshot_for(username));
  });
}

presence console_hub::chosen_presence_of(const std::string& username) const {
  auto chosen = chosen_presence_.find(username);
  return chosen == chosen_presence_.end() ? presence::ready : chosen->second;
}

void console_hub::set_presence(std::string username, presence state) {
  net::post(strand_, [this, username = std::move(username), state] {
    chosen_presence_[username] = state;
    desk_.set_presence(username, state);
    v1::ConsoleEvent event;
    event.mutable_presence()->set_presence(std::string(to_string(state)));
    send_to_user(username, std::make_shared<const std::string>(console_messages::to_json(event)));
  });
}

void console_hub::tick() {
  // Once a second: the floor figures for supervisors; once a minute, forget what is past.
  if (++ticks_ % 60 == 0) {
    // Saved first: a resolved case the desk forgets must already be on disk as resolved.
    save_projection();
    auto now = now_ms();
    desk_.forget_before(now, now - answer_history_ms);
    links_.forget_expired(now);
  }
  send_floor_view();
  run_due_steps(now_ms());
  tick_timer_.expires_after(std::chrono::seconds(1));
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) tick();
  });
}

void console_hub::send_floor_view() {
  bool anyone_watching =
      std::any_of(consoles_.begin(), consoles_.end(), [](const live_console& entry) { return entry.sees_floor; });
  if (!anyone_watching) return;
  auto now = now_ms();
  v1::ConsoleEvent event;
  *event.mutable_floor() = floor_view(desk_, records_, now, local_midnight_ms(now));
  auto message = std::make_shared<const std::string>(console_messages::to_json(event));
  for (const auto& entry : consoles_)
    if (entry.sees_floor)
      if (auto console = entry.console.lock()) console->deliver(message);
}

void console_hub::update_gauges() {
  for (auto level : {priority::critical, priority::high, priority::normal, priority::low})
    metrics_.open_cases(level).Set(static_cast<double>(desk_.open_count(level)));
}

}  // namespace lantern
