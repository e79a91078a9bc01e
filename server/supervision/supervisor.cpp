#include "supervision/supervisor.hpp"

#include "centre/calendar.hpp"

#include <boost/asio/post.hpp>

namespace lantern {
namespace {

constexpr unsigned save_every_ticks = 30;  // last-seen times are written every 30 s
// Technical alarms the server raises take a seq above any a device sends (devices count
// from 1), so they never meet a device's own seq in the unique (device, seq) index.
constexpr std::uint64_t server_seq_base = std::uint64_t(1) << 62;

std::string silence(const supervision_event& e) {
  auto every = "checks in every " + spoken_duration(e.device->heartbeat_interval_s * 1000LL);
  if (e.last_seen_ms == 0) return "not heard from since the server started (" + every + ")";
  return "silent for " + spoken_duration(e.at_ms - e.last_seen_ms) + " (" + every + ")";
}

}  // namespace

supervisor::supervisor(net::any_io_executor io, const centre& records, event_journal& store, metrics& figures,
                       std::shared_ptr<spdlog::logger> log, supervision_settings settings, returned on_returned)
    : strand_(net::make_strand(io)),
      store_(store),
      figures_(figures),
      log_(std::move(log)),
      on_returned_(std::move(on_returned)),
      rules_(records, settings),
      timer_(strand_) {}

void supervisor::start(const std::vector<std::pair<std::string, std::int64_t>>& saved) {
  {
    std::lock_guard lock(mutex_);
    rules_.start(now_ms(), saved);
  }
  log_->info("supervising {} devices", rules_.supervised());
  net::post(strand_, [this] { tick(); });
}

void supervisor::stop() {
  // Queued now, on the caller's thread: the journal stops right after and writes only what
  // was queued before it did.
  {
    std::lock_guard lock(mutex_);
    store_.save_last_seen(rules_.take_heard());
  }
  net::post(strand_, [this] {
    stopped_ = true;
    timer_.cancel();
  });
}

void supervisor::heard(const std::string& device_id, int battery_pct) {
  std::vector<supervision_event> events;
  {
    std::lock_guard lock(mutex_);
    rules_.heard(device_id, now_ms(), battery_pct, events);
  }
  if (!events.empty()) act(events);
}

void supervisor::device_changed(const std::string& device_id, std::shared_ptr<const device_record> record) {
  std::lock_guard lock(mutex_);
  rules_.device_changed(device_id, std::move(record), now_ms());
}

device_health supervisor::health_of(const std::string& device_id) {
  std::lock_guard lock(mutex_);
  return rules_.health_of(device_id);
}

void supervisor::tick() {
  if (stopped_) return;
  std::vector<supervision_event> events;
  std::vector<std::pair<std::string, std::int64_t>> seen;
  {
    std::lock_guard lock(mutex_);
    rules_.expire(now_ms(), events);
    if (++ticks_ % save_every_ticks == 0) seen = rules_.take_heard();
  }
  act(events);
  store_.save_last_seen(std::move(seen));
  timer_.expires_after(std::chrono::seconds(1));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) tick();
  });
}

void supervisor::act(std::vector<supervision_event>& events) {
  for (const auto& e : events) {
    switch (e.what) {
      case supervision_event::kind::missed_checkin:
        log_->warn("device {} missed its check-in: {}", e.device->id, silence(e));
        raise(e, alarm_type::missed_checkin, silence(e));
        break;
      case supervision_event::kind::low_battery:
        raise(e, alarm_type::low_battery, "battery at " + std::to_string(e.battery_pct) + "%");
        break;
      case supervision_event::kind::returned:
        log_->info("device {} checked in again", e.device->id);
        on_returned_(e,
                     "Device " + e.device->id + " checked in again" +
                         (e.last_seen_ms ? " after " + spoken_duration(e.at_ms - e.last_seen_ms) + " of silence" : ""));
        break;
    }
  }
}

void supervisor::raise(const supervision_event& e, alarm_type type, std::string detail) {
  figures_.events_received(type).Increment();
  alarm_event event;
  event.device_id = e.device->id;
  event.device_seq = server_seq_base + static_cast<std::uint64_t>(e.at_ms) * 8 + (raised_++ % 8);
  event.person_id = e.device->person_id;
  event.type = type;
  event.occurred_at_ms = event.received_at_ms = e.at_ms;
  event.detail = std::move(detail);
  store_.append(std::move(event), [this, e, type](event_journal::outcome outcome) {
    if (outcome == event_journal::outcome::stored || outcome == event_journal::outcome::duplicate) return;
    log_->error("could not store the {} alarm for device {}: raising it again", to_string(type), e.device->id);
    net::post(strand_, [this, e] {
      std::lock_guard lock(mutex_);
      rules_.not_stored(e, now_ms());
    });
  });
}

}  // namespace lantern
