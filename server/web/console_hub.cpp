#include "web/console_hub.hpp"

#include <boost/asio/post.hpp>

#include "centre/calendar.hpp"
#include "web/console_messages.hpp"

namespace lantern {

namespace v1 = lantern::console::v1;

console_hub::console_hub(net::any_io_executor io, const centre& records, journal& store, metrics& figures,
                         std::shared_ptr<spdlog::logger> log)
    : strand_(net::make_strand(io)),
      records_(records),
      store_(store),
      metrics_(figures),
      log_(std::move(log)),
      desk_(records),
      save_timer_(strand_) {}

void console_hub::restore(desk_restore_point point) {
  desk_.restore(std::move(point.open_cases), point.next_case_id);
  if (!point.unapplied_alarms.empty()) {
    log_->info("applying {} alarms stored after the cases were last saved", point.unapplied_alarms.size());
    apply(point.unapplied_alarms);
  }
  update_gauges();
}

void console_hub::alarms_committed(std::vector<alarm_event> alarms) {
  net::post(strand_, [this, alarms = std::move(alarms)] { apply(alarms); });
}

void console_hub::apply(const std::vector<alarm_event>& alarms) {
  for (const auto& alarm : alarms) {
    auto c = desk_.apply(alarm);
    if (!c) continue;
    ++version_;
    // Serialised once for all consoles, and not at all when none is listening.
    if (!consoles_.empty()) broadcast_update(*c);
    unsaved_[c->case_id] = std::move(*c);
  }
  unsaved_watermark_ = alarms.back().event_id;
  schedule_projection_save();
  update_gauges();
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
  for (auto& [_, c] : unsaved_) changed.push_back(std::move(c));
  unsaved_.clear();
  // The cases and how far into the events they reach are saved in one transaction.
  store_.save_cases(std::move(changed), unsaved_watermark_);
}

void console_hub::save_and_then(std::function<void()> then) {
  net::post(strand_, [this, then = std::move(then)] {
    save_timer_.cancel();
    save_projection();
    then();
  });
}

void console_hub::broadcast_update(const case_record& c) {
  v1::ConsoleEvent event;
  auto* update = event.mutable_update();
  update->set_version(version_);
  update->set_server_time_ms(now_ms());
  *update->mutable_case_() = console_messages::case_message(c, records_);
  broadcast(std::make_shared<const std::string>(console_messages::to_json(event)));
}

void console_hub::broadcast(std::shared_ptr<const std::string> message) {
  std::erase_if(consoles_, [&](const std::weak_ptr<console_subscriber>& weak) {
    auto console = weak.lock();
    if (console) console->deliver(message);
    return !console;
  });
}

std::shared_ptr<const std::string> console_hub::snapshot_for(const std::string& username) const {
  v1::ConsoleEvent event;
  auto* snapshot = event.mutable_snapshot();
  snapshot->set_version(version_);
  snapshot->set_server_time_ms(now_ms());
  if (auto it = records_.operators.find(username); it != records_.operators.end())
    *snapshot->mutable_operator_() = console_messages::operator_message(it->second);
  for (const auto* c : desk_.queue()) *snapshot->add_cases() = console_messages::case_message(*c, records_);
  return std::make_shared<const std::string>(console_messages::to_json(event));
}

void console_hub::subscribe(std::weak_ptr<console_subscriber> console, std::string username) {
  net::post(strand_, [this, console = std::move(console), username = std::move(username)] {
    auto live = console.lock();
    if (!live) return;
    // On the strand, so no update can fall between the snapshot and the subscription.
    live->deliver(snapshot_for(username));
    consoles_.push_back(console);
  });
}

void console_hub::resync(std::weak_ptr<console_subscriber> console, std::string username) {
  net::post(strand_, [this, console = std::move(console), username = std::move(username)] {
    if (auto live = console.lock()) live->deliver(snapshot_for(username));
  });
}

void console_hub::update_gauges() {
  for (auto level : {priority::critical, priority::high, priority::normal, priority::low})
    metrics_.open_cases(level).Set(static_cast<double>(desk_.open_count(level)));
}

}  // namespace lantern
