#include "core/desk_core.hpp"

#include <algorithm>
#include <map>

namespace lantern {
namespace {

// What the supervisor's screen shows, for Prometheus: the queue, the last hour's answer
// rate and who is on the floor. Once a second: the queue is sorted for it.
void set_floor_gauges(const desk& d, metrics& figures, std::int64_t now_ms) {
  std::size_t waiting = 0;
  std::int64_t oldest_ms = now_ms;
  for (const auto* c : d.queue())
    if (c->owner.empty()) {
      ++waiting;
      oldest_ms = std::min(oldest_ms, c->opened_at_ms);
    }
  figures.queue_waiting.Set(static_cast<double>(waiting));
  figures.queue_longest_wait_seconds.Set(static_cast<double>(now_ms - oldest_ms) / 1000.0);
  auto hour = d.answers().since(now_ms - 3600'000, now_ms);
  figures.alarm_calls_last_hour.Set(static_cast<double>(hour.calls));
  figures.answered_within(60).Set(hour.within_60s.share());
  figures.answered_within(180).Set(hour.within_180s.share());
  std::map<presence, int> on_floor;
  for (const auto& [username, state] : d.presence_on_floor()) ++on_floor[state];
  for (auto state : {presence::ready, presence::on_call, presence::on_break})
    figures.operators(to_string(state)).Set(on_floor[state]);
}

}  // namespace

desk_core::desk_core(net::any_io_executor io, centre& records, event_journal& journal, metrics& figures,
                     std::shared_ptr<spdlog::logger> log, desk_settings settings, wall_clock clock)
    : strand_(net::make_strand(io)),
      records_(records),
      journal_(journal),
      metrics_(figures),
      log_(std::move(log)),
      clock_(std::move(clock)),
      desk_(records, settings),
      save_timer_(strand_),
      tick_timer_(strand_) {}

void desk_core::restore(desk_restore_point point) {
  desk_.restore(point);
  if (!point.unapplied.empty()) {
    log_->info("applying {} events stored after the cases were last saved", point.unapplied.size());
    replaying_ = true;
    apply(point.unapplied);
    replaying_ = false;
  }
  // Links back in force; notifications whose results were never recorded go out again.
  for (const auto* c : desk_.queue()) publish(*c, {.restored = true});
  update_gauges();
}

void desk_core::start() {
  net::post(strand_, [this] { schedule_tick(); });
}

void desk_core::save_and_then(std::function<void()> then) {
  net::post(strand_, [this, then = std::move(then)] {
    stopping_ = true;
    save_timer_.cancel();
    tick_timer_.cancel();
    save_projection();
    then();
  });
}

void desk_core::events_committed(std::vector<desk_event> events) {
  net::post(strand_, [this, events = std::move(events)] { apply(events); });
}

void desk_core::change_record(record_change change, event_journal::change_done done) {
  // The journal answers after it has handed the core the update, and the core applies
  // updates on this strand: posted behind it, the answer comes once the change is live.
  journal_.change_record(std::move(change), [this, done = std::move(done)](change_result result) mutable {
    net::post(strand_, [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); });
  });
}

void desk_core::device_returned(std::string person_id, std::string device_id, std::string note) {
  net::post(strand_, [this, person_id = std::move(person_id), device_id = std::move(device_id),
                      note = std::move(note)]() mutable {
    const auto* c = desk_.open_case_from(person_id, alarm_type::missed_checkin, device_id);
    if (c == nullptr) return;  // an operator closed it already
    case_command closing;
    closing.kind = command_kind::device_returned;
    closing.case_id = c->case_id;
    closing.note = std::move(note);
    system_command(std::move(closing));
  });
}

void desk_core::set_presence(std::string username, presence state) {
  net::post(strand_, [this, username = std::move(username), state] {
    resume_after_work_.erase(username);  // chosen by hand: what they chose stands
    choose_presence(username, state);
  });
}

void desk_core::set_online(std::string username, bool online) {
  net::post(strand_, [this, username = std::move(username), online] {
    desk_.set_presence(username, online ? chosen_presence(username) : presence::offline);
  });
}

void desk_core::tick() {
  net::post(strand_, [this] {
    auto now = clock_();
    // Once a minute, forget what is past. Saved first: a resolved case the desk forgets
    // must already be on disk as resolved.
    bool minute = ++ticks_ % 60 == 0;
    if (minute) {
      save_projection();
      desk_.forget_before(now, now - answer_history_ms);
    }
    run_due_steps();
    set_floor_gauges(desk_, metrics_, now);
    for (auto* s : subscribers_) s->ticked(now, minute);
  });
}

void desk_core::schedule_tick() {
  if (stopping_) return;
  tick();
  tick_timer_.expires_after(std::chrono::seconds(1));
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) schedule_tick();
  });
}

void desk_core::schedule_projection_save() {
  if (save_scheduled_ || stopping_) return;
  save_scheduled_ = true;
  save_timer_.expires_after(std::chrono::seconds(1));
  save_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted) return;  // stopping: save_and_then saves
    save_scheduled_ = false;
    save_projection();
  });
}

void desk_core::save_projection() {
  if (unsaved_.empty()) return;
  std::vector<std::int64_t> ids(unsaved_.begin(), unsaved_.end());
  unsaved_.clear();
  std::sort(ids.begin(), ids.end());
  std::vector<case_record> changed;
  changed.reserve(ids.size());
  for (auto id : ids)
    if (const auto* c = desk_.find(id)) changed.push_back(*c);
  // The cases and how far into the events they reach are saved in one transaction.
  journal_.save_cases(std::move(changed), unsaved_watermark_);
}

void desk_core::update_gauges() {
  for (auto level : {priority::critical, priority::high, priority::normal, priority::low})
    metrics_.open_cases(level).Set(static_cast<double>(desk_.open_count(level)));
}

}  // namespace lantern
