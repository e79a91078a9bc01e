#include "simulated_unit.hpp"

#include "centre/alarm_types.hpp"
#include "dc09/crypto.hpp"
#include "dc09/events.hpp"
#include "dc09/message.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>

namespace lantern::sim {

using namespace boost::asio::experimental::awaitable_operators;
namespace {

// A seq as DC-09 writes it: "0042".
std::string seq_text(int seq) {
  char text[8];
  std::snprintf(text, sizeof text, "%04d", seq % 10000);
  return text;
}

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string contact_id_code_for(const std::string& alarm_type) {
  auto type = parse_alarm_type(alarm_type);
  if (!type) return {};
  for (const auto& row : dc09::code_table())
    if (row.scheme == dc09::code_scheme::contact_id && row.type == type && !row.restore) return std::string(row.code);
  return {};
}

simulated_unit::simulated_unit(net::any_io_executor strand, fleet_device identity, const sim_options& options,
                               sim_stats& stats, run_control& control, unsigned seed, device_traits traits)
    : strand_(strand),
      identity_(std::move(identity)),
      options_(options),
      stats_(stats),
      control_(control),
      rng_(seed),
      traits_(std::move(traits)),
      tcp_(strand),
      udp_(strand),
      wake_(strand),
      // From the clock, as a unit's counter runs on: a new run's first messages are not taken
      // for re-sends of the last run's (same seq and content within ten minutes).
      next_seq_(static_cast<int>((seed + static_cast<unsigned>(wall_ms() / 100)) % 9999) + 1) {
  std::vector<double> weights;
  for (const auto& [type, weight] : options_.mix) {
    auto code = contact_id_code_for(type);
    if (code.empty()) continue;  // a type no unit reports (checked when the options were read)
    codes_.push_back(code);
    weights.push_back(weight);
  }
  code_pick_ = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
}

std::int64_t simulated_unit::unit_clock_ms() const { return wall_ms() + clock_offset_ms_; }

bool simulated_unit::done(clock::time_point now) const {
  if (control_.phase != run_control::draining) return false;
  bool alarms_left = std::any_of(queue_.begin(), queue_.end(), [](const message& m) { return m.token != "NULL"; });
  return !alarms_left || now >= control_.drain_deadline_at();
}

net::awaitable<bool> simulated_unit::connect() {
  boost::system::error_code ec;
  auto address = net::ip::make_address(options_.host, ec);
  if (ec) co_return false;
  if (options_.dc09_udp) {
    if (udp_.is_open()) co_return true;
    udp_.open(address.is_v4() ? net::ip::udp::v4() : net::ip::udp::v6(), ec);
    if (!ec) udp_.connect({address, options_.port}, ec);  // replies only from the receiver
    co_return !ec;
  }
  if (tcp_.is_open()) co_return true;
  if (!bind_to_source(tcp_, address, traits_.source)) co_return false;
  auto [connect_ec] = co_await tcp_.async_connect({address, options_.port}, with_error);
  if (connect_ec) {
    close();
    co_return false;
  }
  tcp_.set_option(net::ip::tcp::no_delay(true), ec);
  received_.clear();
  stats_.connects++;
  stats_.connected++;
  co_return true;
}

void simulated_unit::close() {
  boost::system::error_code ignored;
  if (tcp_.is_open()) {
    stats_.connected--;
    tcp_.close(ignored);
  }
  received_.clear();
}

net::awaitable<bool> simulated_unit::send_bytes(const std::string& bytes) {
  if (options_.dc09_udp) {
    auto [ec, n] = co_await udp_.async_send(net::buffer(bytes), with_error);
    co_return !ec;
  }
  auto [ec, n] = co_await net::async_write(tcp_, net::buffer(bytes), with_error);
  co_return !ec;
}

net::awaitable<std::optional<std::string>> simulated_unit::next_reply(clock::duration wait) {
  net::steady_timer timer(strand_);
  timer.expires_after(wait);
  std::array<char, 2048> chunk{};
  for (;;) {
    if (auto cr = received_.find('\r'); cr != std::string::npos) {
      auto whole = received_.substr(0, cr + 1);
      received_.erase(0, cr + 1);
      co_return whole;
    }
    if (options_.dc09_udp) {
      auto got = co_await (udp_.async_receive(net::buffer(chunk), with_error) || timer.async_wait(with_error));
      if (got.index() == 1) co_return std::nullopt;
      auto [ec, n] = std::get<0>(got);
      if (ec) co_return std::nullopt;
      received_.assign(chunk.data(), n);  // one reply per datagram
      continue;
    }
    auto got = co_await (tcp_.async_read_some(net::buffer(chunk), with_error) || timer.async_wait(with_error));
    if (got.index() == 1) co_return std::nullopt;
    auto [ec, n] = std::get<0>(got);
    if (ec) {
      close();
      co_return std::nullopt;
    }
    received_.append(chunk.data(), n);
  }
}

simulated_unit::outcome simulated_unit::judge(const std::string& reply, const message& m) {
  auto parsed = dc09::parse_frame(reply);
  // A reply's token is not a message token: unknown_token is what a sound reply reads as.
  if (parsed.problem != dc09::frame_problem::unknown_token) {
    stats_.bad_replies++;
    std::fprintf(stderr, "lantern-sim: %s: a reply that does not read (%s): %s\n", identity_.id.c_str(),
                 parsed.why.c_str(), reply.c_str());
    return outcome::resend;
  }
  auto& r = parsed.value;
  if (r.token == "NAK") {
    // The receiver's time: correct the unit's clock by it, and send again.
    if (r.sent_at_ms) {
      clock_offset_ms_ = *r.sent_at_ms - wall_ms();
      stats_.clock_corrections++;
    }
    return outcome::resend;
  }
  if (r.encrypted && (identity_.key.empty() || !dc09::decrypt(r, identity_.key).empty())) {
    stats_.bad_replies++;
    return outcome::resend;
  }
  auto seq = seq_text(m.seq);
  if (r.seq != seq && r.account == identity_.account &&
      std::find(answered_seqs_.begin(), answered_seqs_.end(), r.seq) != answered_seqs_.end())
    return outcome::stale;
  if (r.seq != seq || r.account != identity_.account) {
    stats_.bad_replies++;
    std::fprintf(stderr, "lantern-sim: %s: a reply echoing seq %s #%s for seq %s #%s\n", identity_.id.c_str(),
                 r.seq.c_str(), r.account.c_str(), seq.c_str(), identity_.account.c_str());
    return outcome::resend;
  }
  if (r.token == "ACK") return outcome::acked;
  if (r.token == "DUH") return outcome::refused;
  stats_.bad_replies++;
  return outcome::resend;
}

void simulated_unit::queue_due(clock::time_point now) {
  const double per_unit_rate = options_.alarm_rate / double(std::max<std::size_t>(1, options_.devices));
  std::exponential_distribution<double> gap(per_unit_rate > 0 ? per_unit_rate : 1.0);
  bool has_alarm = std::any_of(queue_.begin(), queue_.end(), [](const message& m) { return m.token != "NULL"; });
  auto add = [&](std::string token, std::string data) {
    queue_.push_back({next_seq_, std::move(token), std::move(data)});
    next_seq_ = next_seq_ % 9999 + 1;  // DC-09's seq wraps at 9999
  };
  // Also for a unit that first looks once generation has begun (a storm's late riser, whose
  // reconnecting neighbours made up the count of connects): from now, not from the clock's
  // epoch, which was a backlog of every second since the machine booted.
  if (!control_.is_generating() || next_alarm_at_ == clock::time_point{}) next_alarm_at_ = now + seconds(gap(rng_));
  // A slow writer sends only check-ins (as on the device link): its alarms would never land.
  if (control_.is_generating() && !codes_.empty() && traits_.fault != fault_kind::slow) {
    if (options_.window > 0) {
      if (!has_alarm) next_alarm_at_ = now;  // closed loop: the next as soon as the last is acked
    }
    while ((options_.window > 0 || per_unit_rate > 0) && next_alarm_at_ <= now) {
      auto zone = static_cast<int>(rng_() % 8) + 1;
      add("ADM-CID", dc09::contact_id_data(identity_.account, 1, codes_[code_pick_(rng_)], zone));
      stats_.alarms_sent++;
      next_alarm_at_ = options_.window > 0 ? clock::time_point::max() : next_alarm_at_ + seconds(gap(rng_));
    }
  }
  if (next_null_at_ <= now && queue_.empty()) {
    add("NULL", "");
    stats_.heartbeats_sent++;
    next_null_at_ = now + seconds(options_.heartbeat_s > 0 ? options_.heartbeat_s : 60);
  }
}

net::awaitable<simulated_unit::outcome> simulated_unit::send_and_wait(message& m) {
  auto now = clock::now();
  if (!m.sent_before) m.first_sent = now;
  std::string frame = dc09::make_message({m.token, m.seq, identity_.receiver,
                                          identity_.line.empty() ? "0" : identity_.line, identity_.account, m.data, ""},
                                         identity_.key, unit_clock_ms());
  std::string bytes = frame;
  const std::string garbage = "\xff\xfe garbage \x01\x02";
  switch (traits_.fault) {
    case fault_kind::duplicate:
      // Both answered; stored once. Over UDP, two datagrams.
      if (options_.dc09_udp && !co_await send_bytes(frame)) co_return outcome::link_lost;
      if (!options_.dc09_udp) bytes += frame;
      stats_.faults_injected++;
      break;
    case fault_kind::garbage:
      stats_.faults_injected++;
      if (!options_.dc09_udp) {
        bytes = garbage + frame;  // dropped up to the frame's <LF>
      } else {
        // From another port, whose NAK nobody reads: this unit's own replies stay in order.
        net::ip::udp::socket stray(strand_);
        boost::system::error_code ec;
        stray.open(udp_.local_endpoint(ec).protocol(), ec);
        if (!ec) stray.send_to(net::buffer(garbage), udp_.remote_endpoint(ec), 0, ec);
      }
      break;
    case fault_kind::midframe:
      if (!options_.dc09_udp && rng_() % 3 == 0) {
        stats_.faults_injected++;
        co_await send_bytes(frame.substr(0, frame.size() / 2));
        close();
        co_return outcome::link_lost;
      }
      break;
    case fault_kind::slow:
      if (!options_.dc09_udp) {
        // Half a frame, then nothing: the receiver closes the link after its deadline.
        stats_.faults_injected++;
        bytes = frame.substr(0, frame.size() / 2);
      }
      break;
    case fault_kind::none:
      break;
  }
  if (m.sent_before && m.token != "NULL") stats_.alarms_resent++;
  m.sent_before = true;
  if (!co_await send_bytes(bytes)) {
    close();
    co_return outcome::link_lost;
  }
  for (;;) {
    auto reply = co_await next_reply(seconds(options_.ack_timeout_s));
    if (!reply) co_return options_.dc09_udp || tcp_.is_open() ? outcome::resend : outcome::link_lost;
    auto verdict = judge(*reply, m);
    if (verdict == outcome::stale) continue;
    if (verdict == outcome::acked) {
      answered_seqs_.push_back(seq_text(m.seq));
      if (answered_seqs_.size() > 16) answered_seqs_.pop_front();
    }
    if (verdict == outcome::acked && traits_.fault == fault_kind::duplicate) {
      // The duplicate's answer follows: it must be an ACK too.
      if (auto again = co_await next_reply(seconds(options_.ack_timeout_s));
          again && judge(*again, m) == outcome::acked)
        stats_.duplicate_acks++;
    }
    co_return verdict;
  }
}

net::awaitable<void> simulated_unit::run() {
  auto backoff = std::chrono::milliseconds(100);
  next_null_at_ = clock::now() + seconds(std::uniform_real_distribution<double>(0, 1)(rng_) *
                                         (options_.heartbeat_s > 0 ? options_.heartbeat_s : 60));
  if (options_.storm_backlog > 0) {
    // Back from an outage with alarms it could not send, at a random moment of the storm.
    for (unsigned i = 0; i < options_.storm_backlog && !codes_.empty() && traits_.fault != fault_kind::slow; ++i) {
      queue_.push_back({next_seq_, "ADM-CID", dc09::contact_id_data(identity_.account, 1, codes_[0], 1)});
      next_seq_ = next_seq_ % 9999 + 1;
      stats_.alarms_sent++;
    }
    wake_.expires_after(seconds(std::uniform_real_distribution<double>(0, options_.storm_window_s)(rng_)));
    co_await wake_.async_wait(with_error);
  }
  bool counted_in = false;
  while (!done(clock::now())) {
    if (!co_await connect()) {
      stats_.connection_failures++;
      co_await back_off(wake_, backoff);
      continue;
    }
    backoff = std::chrono::milliseconds(100);
    if (!counted_in) {
      counted_in = true;
      if (options_.dc09_udp) stats_.connects++;
    }
    queue_due(clock::now());
    if (queue_.empty()) {
      auto wake_at = std::min(next_null_at_, clock::now() + std::chrono::seconds(1));
      if (control_.is_generating() && options_.alarm_rate > 0) wake_at = std::min(wake_at, next_alarm_at_);
      wake_.expires_at(wake_at);
      co_await wake_.async_wait(with_error);
      continue;
    }
    auto& m = queue_.front();
    auto verdict = co_await send_and_wait(m);
    if (verdict == outcome::acked) {
      if (m.token == "NULL") {
        stats_.heartbeats_acked++;
      } else {
        stats_.alarms_acked++;
        stats_.record_latency(std::chrono::duration<double, std::milli>(clock::now() - m.first_sent).count());
        stats_.log_acked(identity_.id, static_cast<std::uint64_t>(m.seq));
      }
      queue_.pop_front();
    } else if (verdict == outcome::refused) {
      if (m.token != "NULL") stats_.alarms_nacked++;
      std::fprintf(stderr, "lantern-sim: %s (#%s) refused with DUH: is the account in the centre?\n",
                   identity_.id.c_str(), identity_.account.c_str());
      queue_.pop_front();
    }
  }
  close();
  for (const auto& m : queue_)
    if (m.token != "NULL") stats_.alarms_unacked_at_end++;
  control_.devices_finished++;
}

}  // namespace lantern::sim
