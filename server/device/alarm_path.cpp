// A device session's alarms: checked, handed to the journal with backpressure (a device
// with many alarms awaiting commit is not read until some land), and acked or nacked once
// the journal says how it went.
#include "device/device_session.hpp"

#include "centre/calendar.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace lantern {

namespace v1 = lantern::device::v1;
namespace {
constexpr auto with_error = net::as_tuple(net::use_awaitable);
}

net::awaitable<void> device_session::wait_for_slot() {
  // Backpressure: a device with many alarms awaiting commit is not read until some land.
  while (in_flight_ >= context_.max_in_flight && !closing_) {
    if (!slot_signal_) slot_signal_ = std::make_unique<net::steady_timer>(socket_.get_executor());
    slot_signal_->expires_at(clock::time_point::max());
    co_await slot_signal_->async_wait(with_error);
  }
}

void device_session::handle_alarm(const v1::Alarm& alarm, clock::time_point read_at) {
  if (auto problem = device_link::alarm_problem(alarm)) {
    context_.figures.frames_rejected.Increment();
    nack(alarm.seq(), v1::Nack::INVALID_MESSAGE, *problem);
    return;
  }
  if (!still_admitted()) {
    nack(alarm.seq(), v1::Nack::UNAUTHENTICATED, "this device was deactivated or given a new token: log in again");
    close("device " + device_->id + " deactivated or given a new token since it logged in");
    return;
  }
  alarm_event event;
  event.device_id = device_->id;
  event.device_seq = alarm.seq();
  event.device_epoch = epoch_;
  event.person_id = device_->person_id;
  event.type = *parse_alarm_type(alarm.type());
  event.occurred_at_ms = alarm.occurred_at_ms();
  event.received_at_ms = now_ms();
  event.detail = alarm.detail();
  context_.figures.events_received(event.type).Increment();
  ++in_flight_;
  context_.store.append(std::move(event),
                        [self = shared_from_this(), seq = alarm.seq(), read_at](event_journal::outcome result) {
                          self->context_.landed->add({self, seq, read_at, result});  // on the journal's thread
                        });
}

void device_session::alarms_landed(std::span<const landed_alarm> landed) {
  struct settled {
    std::uint64_t seq;
    clock::time_point read_at;
    event_journal::outcome result;
  };
  // Copied: the strand may be busy on another I/O thread.
  std::vector<settled> alarms;
  alarms.reserve(landed.size());
  for (const auto& a : landed) alarms.push_back({a.seq, a.read_at, a.result});
  net::dispatch(socket_.get_executor(), [self = shared_from_this(), alarms = std::move(alarms)] {
    self->holding_writes_ = true;
    for (const auto& a : alarms) self->on_stored(a.seq, a.read_at, a.result);
    self->holding_writes_ = false;
    if (!self->writing_ && !self->outbox_.empty()) self->write_outbox();
  });
}

bool device_session::still_admitted() {
  std::shared_ptr<const device_record> now;
  {
    std::shared_lock lock(context_.records.lock.get());
    now = context_.records.find_device(device_->id);
  }
  if (now == device_) return true;
  if (!now || now->token_hash != device_->token_hash) return false;
  device_ = std::move(now);  // moved to another person, say: the alarm is theirs now
  return true;
}

void device_session::on_stored(std::uint64_t seq, clock::time_point read_at, event_journal::outcome result) {
  --in_flight_;
  if (slot_signal_) slot_signal_->cancel();
  switch (result) {
    case event_journal::outcome::duplicate:
      context_.figures.duplicate_alarms.Increment();
      [[fallthrough]];
    case event_journal::outcome::stored:
      ack(seq);
      context_.figures.ack_latency_seconds.Observe(std::chrono::duration<double>(clock::now() - read_at).count());
      break;
    case event_journal::outcome::seq_reused:
      // Stored and on the desk all the same; the device must start a new epoch.
      context_.figures.seq_reused_alarms.Increment();
      context_.log->warn("{}: seq {} in epoch {} came again with a different alarm: stored, nacked SEQ_REUSED", name(),
                         seq, epoch_);
      nack(seq, v1::Nack::SEQ_REUSED,
           "stored and raised, but this seq was used before for a different alarm: reconnect with a larger epoch");
      break;
    case event_journal::outcome::failed:
      nack(seq, v1::Nack::STORAGE_UNAVAILABLE, "the centre could not store the alarm; re-send it");
      break;
    case event_journal::outcome::overloaded:
      nack(seq, v1::Nack::STORAGE_UNAVAILABLE, "the centre is busy; re-send the alarm shortly");
      break;
  }
}

}  // namespace lantern
