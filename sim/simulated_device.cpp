#include "simulated_device.hpp"

#include "device/frame_codec.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace lantern::sim {

namespace v1 = lantern::device::v1;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

// Reads the next server message through `splitter`, which keeps what a read brought beyond it.
net::awaitable<std::optional<v1::ServerMessage>> read_server_message(sim_link& socket,
                                                                     device_link::frame_splitter& splitter) {
  std::array<std::uint8_t, 1024> chunk{};
  for (;;) {
    if (auto decoded = splitter.next_message<v1::ServerMessage>()) {
      if (!std::holds_alternative<v1::ServerMessage>(*decoded)) co_return std::nullopt;
      co_return std::get<v1::ServerMessage>(std::move(*decoded));
    }
    auto [ec, n] = co_await socket.read_some(net::buffer(chunk));
    if (ec) co_return std::nullopt;
    splitter.feed(std::span<const std::uint8_t>(chunk.data(), n));
  }
}

}  // namespace

device_traits traits_for(const sim_options& options, std::size_t index) {
  device_traits traits;
  // Spread evenly over the fleet (at 25%, every fourth device), the kinds taken in turn.
  auto share = options.fault_share_pct;
  if (!options.faults.empty() && index * share % 100 < share) {
    const auto& kind = options.faults[index * share / 100 % options.faults.size()];
    traits.fault = kind == "duplicate"  ? fault_kind::duplicate
                   : kind == "midframe" ? fault_kind::midframe
                   : kind == "slow"     ? fault_kind::slow
                                        : fault_kind::garbage;
  }
  if (options.sources > 0)
    traits.source = net::ip::make_address_v4("127.0.0." + std::to_string(1 + index % options.sources));
  return traits;
}

simulated_device::simulated_device(net::any_io_executor strand, fleet_device identity, const sim_options& options,
                                   sim_stats& stats, run_control& control, std::uint64_t first_seq, unsigned seed,
                                   device_traits traits)
    : strand_(strand),
      identity_(std::move(identity)),
      options_(options),
      stats_(stats),
      control_(control),
      rng_(seed),
      next_seq_(first_seq),
      epoch_(first_seq / 1'000'000),
      wake_(strand),
      traits_(std::move(traits)) {
  std::vector<double> weights;
  for (const auto& [type, weight] : options_.mix) {
    types_.push_back(type);
    weights.push_back(weight);
  }
  type_pick_ = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
}

bool simulated_device::done(clock::time_point now) const {
  return control_.phase == run_control::draining && (pending_.empty() || now >= control_.drain_deadline_at());
}

net::awaitable<void> simulated_device::come_back_from_outage() {
  auto now = clock::now();
  for (unsigned i = 0; i < options_.storm_backlog; ++i) {
    next_alarm_frame(now);
    // Raised while the link was down: up to ten minutes ago, oldest first.
    auto& alarm = *pending_.rbegin()->second.message.mutable_alarm();
    alarm.set_occurred_at_ms(alarm.occurred_at_ms() - 600'000 + 600'000 * (i + 1) / (options_.storm_backlog + 1));
  }
  wake_.expires_after(seconds(std::uniform_real_distribution<double>(0, options_.storm_window_s)(rng_)));
  co_await wake_.async_wait(with_error);
  // Ack latency counts from the reconnect, not from the outage.
  for (auto& [_, p] : pending_) p.first_sent = p.last_sent = clock::now();
}

net::awaitable<void> simulated_device::run() {
  if (options_.storm_backlog > 0 && options_.outage_at_s < 0) co_await come_back_from_outage();
  auto backoff = std::chrono::milliseconds(100);
  while (!done(clock::now())) {
    if (control_.outage && !had_outage_) {
      had_outage_ = true;
      co_await come_back_from_outage();
    }
    sim_link socket(strand_, traits_.tls);
    auto hello = co_await connect_and_hello(socket);
    if (hello == hello_result::refused) break;
    if (hello == hello_result::failed) {
      stats_.connection_failures++;
      co_await back_off(wake_, backoff);
      continue;
    }
    backoff = std::chrono::milliseconds(100);
    stats_.connects++;
    stats_.connected++;
    unacked_heartbeats_.clear();
    // Whichever ends first (the link drops, or the run is over) cancels the other.
    co_await (receive(socket) || transmit(socket));
    stats_.connected--;
    socket.close();
  }
  stats_.alarms_unacked_at_end += pending_.size();
  control_.devices_finished++;
}

net::awaitable<simulated_device::hello_result> simulated_device::connect_and_hello(sim_link& socket) {
  boost::system::error_code ec;
  auto address = net::ip::make_address(options_.host, ec);
  if (ec) co_return hello_result::refused;
  if (!bind_to_source(socket.socket(), address, traits_.source)) co_return hello_result::failed;
  auto [connect_ec] = co_await socket.socket().async_connect({address, options_.port}, with_error);
  if (connect_ec) co_return hello_result::failed;
  socket.socket().set_option(net::ip::tcp::no_delay(true), ec);
  if (!co_await socket.handshake()) co_return refused_by_tls(socket);
  v1::DeviceMessage hello;
  hello.mutable_hello()->set_device_id(identity_.id);
  hello.mutable_hello()->set_token(identity_.token);
  hello.mutable_hello()->set_firmware("lantern-sim/1");
  hello.mutable_hello()->set_epoch(epoch_);
  // Written whole even by a faulty device: its faults begin once it is in.
  auto [write_ec, written] = co_await socket.write(net::buffer(device_link::encode_frame(hello)));
  if (write_ec) co_return hello_result::failed;
  splitter_ = {};
  auto answer = co_await read_server_message(socket, splitter_);
  if (!answer) co_return refused_by_tls(socket);  // TLS 1.3: the server refuses a client certificate here
  if (answer->has_nack()) {
    stats_.devices_refused++;
    std::fprintf(stderr, "lantern-sim: %s refused: %s\n", identity_.id.c_str(), answer->nack().detail().c_str());
    co_return hello_result::refused;
  }
  if (!answer->has_welcome()) co_return hello_result::failed;
  heartbeat_every_ = options_.heartbeat_s > 0
                         ? std::chrono::milliseconds(static_cast<long>(options_.heartbeat_s * 1000))
                         : std::chrono::seconds(std::max(1u, answer->welcome().heartbeat_interval_s()));
  auto now = clock::now();
  // Spread the fleet's heartbeats over the interval rather than all at once.
  next_heartbeat_at_ =
      now + std::chrono::milliseconds(std::uniform_int_distribution<long>(
                0, std::chrono::duration_cast<std::chrono::milliseconds>(heartbeat_every_).count())(rng_));
  co_return hello_result::welcomed;
}

simulated_device::hello_result simulated_device::refused_by_tls(const sim_link& socket) {
  if (socket.tls_refusal().empty()) return hello_result::failed;
  stats_.devices_refused++;
  std::fprintf(stderr, "lantern-sim: %s refused by TLS: %s\n", identity_.id.c_str(), socket.tls_refusal().c_str());
  return hello_result::refused;
}

net::awaitable<bool> simulated_device::write(sim_link& socket, const std::string& frames) {
  if (traits_.fault == fault_kind::slow) co_return co_await dribble(socket, frames);
  if (traits_.fault == fault_kind::midframe && !pending_.empty() && rng_() % 3 == 0) {
    // Half of what was due, then the link drops: the rest is re-sent after reconnecting.
    stats_.faults_injected++;
    co_await socket.write(net::buffer(frames.data(), frames.size() / 2));
    co_return false;
  }
  auto [ec, n] = co_await socket.write(net::buffer(frames));
  co_return !ec;
}

net::awaitable<bool> simulated_device::dribble(sim_link& socket, const std::string& frames) {
  stats_.faults_injected++;
  net::steady_timer pause(strand_);
  for (char byte : frames) {
    if (done(clock::now())) co_return false;
    auto [ec, n] = co_await socket.write(net::buffer(&byte, 1));
    if (ec) co_return false;
    pause.expires_after(std::chrono::seconds(1));
    co_await pause.async_wait(with_error);
  }
  co_return true;
}

std::string simulated_device::next_alarm_frame(clock::time_point now) {
  auto seq = next_seq_++;
  auto& pending = pending_[seq];
  auto* alarm = pending.message.mutable_alarm();
  alarm->set_seq(seq);
  alarm->set_type(types_[type_pick_(rng_)]);
  alarm->set_occurred_at_ms(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  pending.first_sent = pending.last_sent = now;
  stats_.alarms_sent++;
  return device_link::encode_frame(pending.message);
}

clock::time_point simulated_device::next_wake(clock::time_point now) const {
  // At most a second: phase changes and the outage are noticed within one.
  auto wake_at = std::min(next_heartbeat_at_, now + std::chrono::seconds(1));
  for (const auto& [_, p] : pending_) wake_at = std::min(wake_at, p.last_sent + seconds(options_.ack_timeout_s));
  if (control_.is_generating() && options_.window == 0 && (options_.alarm_rate > 0 || counted()) && sends_alarms() &&
      !sent_all())
    wake_at = std::min(wake_at, next_alarm_at_);
  if (control_.phase == run_control::draining) wake_at = std::min(wake_at, control_.drain_deadline_at());
  return wake_at;
}

net::awaitable<void> simulated_device::transmit(sim_link& socket) {
  // First, everything the last connection left unacked, with the same seqs.
  std::string frames;
  auto now = clock::now();
  for (auto& [seq, p] : pending_) {
    frames += device_link::encode_frame(p.message);
    p.last_sent = now;
    stats_.alarms_resent++;
  }
  if (!frames.empty() && !co_await write(socket, frames)) co_return;

  const double per_device_rate = options_.alarm_rate / double(std::max<std::size_t>(1, options_.devices));
  std::exponential_distribution<double> gap(per_device_rate > 0 ? per_device_rate : 1.0);
  for (;;) {
    now = clock::now();
    if (done(now)) co_return;
    if (control_.outage && !had_outage_) co_return;  // the network fails: run() brings it back
    for (const auto& [_, p] : pending_)
      if (now - p.last_sent > seconds(options_.ack_timeout_s)) co_return;  // reconnect, re-send
    frames.clear();
    // Each device's first alarm comes after a random gap, not all at the start (with
    // --alarms, at the start: a test raising one alarm must not wait on chance).
    // Also for a device that first looks once generation has begun (a storm's late riser):
    // from now, not from the clock's epoch (a backlog of every second since boot).
    if (!control_.is_generating() || next_alarm_at_ == clock::time_point{})
      next_alarm_at_ = counted() ? now : now + seconds(gap(rng_));
    if (control_.is_generating() && sends_alarms()) {
      if (counted()) {
        while (!sent_all() && next_alarm_at_ <= now) {
          frames += next_alarm_frame(now);
          next_alarm_at_ += options_.alarm_rate > 0 ? seconds(gap(rng_)) : clock::duration::zero();
          if (++alarms_sent_ == options_.alarms_each) control_.devices_sent_all++;
        }
      } else if (options_.window > 0) {
        while (pending_.size() < options_.window) frames += next_alarm_frame(now);
      } else if (per_device_rate > 0) {
        while (next_alarm_at_ <= now) {
          frames += next_alarm_frame(now);
          next_alarm_at_ += seconds(gap(rng_));
        }
      }
      if (!frames.empty() && traits_.fault == fault_kind::duplicate) {
        stats_.faults_injected++;
        frames += frames;  // every frame twice: the second must be acked and not stored again
      }
    }
    if (next_heartbeat_at_ <= now) {
      v1::DeviceMessage beat;
      auto seq = next_seq_++;
      unacked_heartbeats_.insert(seq);
      beat.mutable_heartbeat()->set_seq(seq);
      beat.mutable_heartbeat()->set_battery_pct(87);
      frames += device_link::encode_frame(beat);
      stats_.heartbeats_sent++;
      next_heartbeat_at_ = now + heartbeat_every_;
    }
    if (traits_.fault == fault_kind::garbage && !pending_.empty() && rng_() % 4 == 0) {
      // A length no frame may have, then noise: the centre must refuse it and carry on.
      stats_.faults_injected++;
      frames += std::string(4, '\xff');
      for (int i = 0; i < 44; ++i) frames += static_cast<char>(rng_());
    }
    // After garbage the centre closes the link, and the receiver sees it end.
    if (!frames.empty() && !co_await write(socket, frames)) co_return;

    wake_.expires_at(next_wake(clock::now()));
    co_await wake_.async_wait(with_error);
  }
}

net::awaitable<void> simulated_device::receive(sim_link& socket) {
  for (;;) {
    auto message = co_await read_server_message(socket, splitter_);
    if (!message) co_return;
    if (message->has_ack()) {
      auto seq = message->ack().seq();
      auto it = pending_.find(seq);
      if (it != pending_.end()) {
        stats_.alarms_acked++;
        stats_.record_latency(std::chrono::duration<double, std::milli>(clock::now() - it->second.first_sent).count());
        stats_.log_acked(identity_.id, seq);
        pending_.erase(it);
        if (options_.window > 0) wake_.cancel();  // room in the window: send more now
      } else if (unacked_heartbeats_.erase(seq) > 0) {
        stats_.heartbeats_acked++;
      } else {
        stats_.duplicate_acks++;  // an alarm acked again (a re-send, or a duplicate frame)
      }
      if (pending_.empty() && control_.phase == run_control::draining) wake_.cancel();
    } else if (message->has_nack()) {
      auto it = pending_.find(message->nack().seq());
      // The centre asked for a re-send later: keep it pending, the ack timeout re-sends it.
      auto reason = message->nack().reason();
      bool later = reason == v1::Nack::STORAGE_UNAVAILABLE || reason == v1::Nack::RATE_LIMITED;
      if (it != pending_.end() && !later) {
        stats_.alarms_nacked++;
        std::fprintf(stderr, "lantern-sim: %s alarm %llu nacked: %s\n", identity_.id.c_str(),
                     static_cast<unsigned long long>(it->first), message->nack().detail().c_str());
        pending_.erase(it);
      }
    }
  }
}

}  // namespace lantern::sim
