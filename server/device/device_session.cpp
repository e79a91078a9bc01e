#include "device/device_session.hpp"

#include <algorithm>
#include <array>

#include "centre/calendar.hpp"
#include "listener/off_thread.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace lantern {

namespace v1 = lantern::device::v1;
using net::use_awaitable;
constexpr auto with_error = net::as_tuple(use_awaitable);

device_session::device_session(net::ip::tcp::socket socket, gateway_context& context, std::uint64_t id,
                               net::ssl::context* tls)
    : socket_(std::move(socket)),
      context_(context),
      id_(id),
      idle_limit_(context.hello_timeout),
      idle_timer_(socket_.get_executor()),
      tokens_(context.limits.event_burst) {
  if (tls != nullptr) tls_ = std::make_unique<tls_link>(socket_, tls->native_handle());
  ++context_.connections;
}

device_session::~device_session() {
  context_.before_hello.leave(id_);
  end_verifying();
  --context_.connections;
  if (device_ != nullptr) context_.figures.devices_connected.Decrement();
}

void device_session::end_verifying() {
  if (!verifying_) return;
  verifying_ = false;
  --context_.verifying;
}

void device_session::drop_before_hello() {
  net::post(socket_.get_executor(), [self = shared_from_this()] {
    if (self->said_hello_ || self->finished_) return;
    // Debug only: a flood of idle connections would otherwise flood the log too.
    self->context_.log->debug("{}: dropped before its hello to make way for a newer connection", self->name());
    self->close("");
    self->finish();
  });
}

bool device_session::take_token(clock::time_point now) {
  const auto& limits = context_.limits;
  tokens_ = std::min(limits.event_burst,
                     tokens_ + std::chrono::duration<double>(now - refilled_at_).count() * limits.events_per_second);
  refilled_at_ = now;
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

std::string device_session::name() const {
  return "device session " + std::to_string(id_) + (device_ ? " (" + device_->id + ")" : "");
}

void device_session::start() {
  boost::system::error_code ignored;
  socket_.set_option(net::ip::tcp::no_delay(true), ignored);  // acks are small and urgent
  socket_.non_blocking(true, ignored);                        // reads are tried once readable
  // Under a flood of silent connections a real device still says hello within milliseconds.
  if (context_.before_hello.crowded())
    idle_limit_ = std::min<std::chrono::seconds>(idle_limit_, std::chrono::seconds(2));
  silent_deadline_ = clock::now() + idle_limit_;
  idle_timer_.expires_at(silent_deadline_);
  watch();
  auto self = shared_from_this();
  net::co_spawn(
      socket_.get_executor(), [self] { return self->handshake_then_read(); }, net::detached);
}

net::awaitable<void> device_session::handshake_then_read() {
  if (tls_) {
    // Within the hello's time: a handshake never finished is dropped like a silent link.
    auto ec = co_await tls_->handshake();
    if (ec) {
      context_.figures.tls_handshakes_failed.Increment();
      context_.log->debug("{}: TLS handshake failed: {}", name(), ec.message());
      close("");
      finish();
      co_return;
    }
  }
  co_await reader();
}

void device_session::close(const std::string& why) {
  if (closing_) return;
  closing_ = true;
  if (!why.empty()) context_.log->info("{}: closed: {}", name(), why);
  if (slot_signal_) slot_signal_->cancel();
  if (!writing_) {
    finish();
    return;
  }
  // The write in progress has this long to flush a last nack to a peer that may not be reading.
  drop_if_silent_until(clock::now() + std::chrono::seconds(5));
}

void device_session::drop_if_silent_until(clock::time_point deadline) {
  bool sooner = deadline < silent_deadline_;
  silent_deadline_ = deadline;
  if (sooner) idle_timer_.expires_at(deadline);  // wakes watch() to wait for the nearer one
}

void device_session::watch() {
  idle_timer_.async_wait([self = shared_from_this()](const boost::system::error_code&) {
    if (self->finished_) return;
    auto now = clock::now();
    // Woken early (a nearer deadline was set) or late (frames pushed it on): wait again.
    if (now < self->silent_deadline_) {
      self->idle_timer_.expires_at(self->silent_deadline_);
      self->watch();
      return;
    }
    if (!self->closing_)
      self->close(self->device_ ? "silent for " + std::to_string(self->idle_limit_.count()) + " s"
                                : "no hello within " + std::to_string(self->idle_limit_.count()) + " s");
    self->finish();
  });
}

void device_session::finish() {
  if (finished_) return;
  finished_ = true;
  boost::system::error_code ignored;
  socket_.shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  idle_timer_.cancel();
  if (slot_signal_) slot_signal_->cancel();
  outbox_.clear();
}

void device_session::write_outbox() {
  // Everything queued goes out in one write: under load many acks share a syscall.
  writing_ = true;
  writing_batch_.swap(outbox_);
  outbox_.clear();
  if (tls_) {
    net::co_spawn(
        socket_.get_executor(), [self = shared_from_this()] { return self->write_tls(); }, net::detached);
    return;
  }
  net::async_write(
      socket_, net::buffer(writing_batch_),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) { self->on_written(ec); });
}

net::awaitable<void> device_session::write_tls() { on_written(co_await tls_->write(net::buffer(writing_batch_))); }

void device_session::on_written(const boost::system::error_code& ec) {
  writing_ = false;
  if (ec) {
    close(ec == net::error::operation_aborted ? "" : "write failed: " + ec.message());
    finish();
    return;
  }
  if (!outbox_.empty() && !finished_)
    write_outbox();
  else if (closing_)
    finish();
  else
    writing_batch_ = outbox_ = std::string();  // an idle link keeps no buffer
}

void device_session::send(const v1::ServerMessage& message) {
  if (closing_ || finished_) return;
  outbox_ += device_link::encode_frame(message);
  if (!writing_ && !holding_writes_) write_outbox();
}

void device_session::ack(std::uint64_t seq) {
  v1::ServerMessage m;
  m.mutable_ack()->set_seq(seq);
  send(m);
}

void device_session::nack(std::uint64_t seq, nack_reason reason, const std::string& detail) {
  v1::ServerMessage m;
  auto* n = m.mutable_nack();
  n->set_seq(seq);
  n->set_reason(reason);
  n->set_detail(detail);
  send(m);
}

std::optional<v1::DeviceMessage> device_session::buffered_message() {
  auto decoded = splitter_.next_message<v1::DeviceMessage>();
  if (!decoded) return std::nullopt;
  if (auto* error = std::get_if<device_link::frame_error>(&*decoded)) {
    context_.figures.frames_rejected.Increment();
    nack(0, v1::Nack::MALFORMED_FRAME, error->reason);
    close(error->reason);
    return std::nullopt;
  }
  return std::move(std::get<v1::DeviceMessage>(*decoded));
}

bool device_session::read_available(boost::system::error_code ec) {
  // Read into this thread's buffer once the socket is readable: an idle link holds none.
  thread_local std::array<std::uint8_t, 16384> chunk;
  std::size_t n = 0;
  if (!ec) n = tls_ ? tls_->read(net::buffer(chunk), ec) : socket_.read_some(net::buffer(chunk), ec);
  if (ec == net::error::would_block || ec == net::error::try_again) return true;
  if (ec) {
    bool quiet = ec == net::error::eof || ec == net::error::operation_aborted || closing_;
    if (!quiet)
      close("read failed: " + ec.message());
    else if (splitter_.holds_partial_frame())
      close("connection ended inside a frame");
    else
      close("");
    return false;
  }
  splitter_.feed(std::span<const std::uint8_t>(chunk.data(), n));
  return true;
}

net::awaitable<bool> device_session::authenticate(const v1::Hello& hello) {
  std::shared_ptr<const device_record> found;
  {
    std::shared_lock lock(context_.records.lock.get());
    found = context_.records.find_device(hello.device_id());
  }
  // The hello is in: a wait for a verifier (after a restart the whole fleet queues for
  // one) is the centre's, not the device's, so it does not count against the hello timeout.
  silent_deadline_ = clock::now() + std::max<clock::duration>(context_.hello_timeout, std::chrono::minutes(5));
  bool ok = found != nullptr && context_.authenticator.proven_before(found->id, found->token_hash, hello.token());
  if (!ok) {
    // An unknown id gets a decoy check of the same cost on the same pool.
    auto check = [&authenticator = context_.authenticator, found, token = hello.token()] {
      if (found == nullptr) {
        authenticator.decoy_check(token);
        return false;
      }
      return authenticator.verify(found->id, found->token_hash, token);
    };
    ok = co_await off_thread(context_.verify_executor, std::move(check));
  }
  if (!ok) {
    context_.figures.devices_refused.Increment();
    // One answer for both cases: a caller cannot probe which device ids exist.
    nack(0, v1::Nack::UNAUTHENTICATED, "unknown device or wrong token");
    close("refused hello for device id '" + hello.device_id().substr(0, 64) + "'");
    co_return false;
  }
  device_ = std::move(found);
  epoch_ = hello.epoch();
  context_.figures.devices_connected.Increment();
  // Three missed heartbeats and a minute's slack before a silent link is dropped.
  idle_limit_ = std::chrono::seconds(3 * device_->heartbeat_interval_s + 60);
  silent_deadline_ = clock::now() + idle_limit_;
  v1::ServerMessage welcome;
  welcome.mutable_welcome()->set_heartbeat_interval_s(static_cast<std::uint32_t>(device_->heartbeat_interval_s));
  welcome.mutable_welcome()->set_server_time_ms(now_ms());
  send(welcome);
  context_.log->debug("{}: welcomed ({})", name(), hello.firmware().substr(0, 64));
  co_return true;
}

net::awaitable<void> device_session::reader() {
  // One loop, with every wait in this frame: an idle link is suspended here and nowhere deeper.
  bool welcomed = false;
  while (!closing_) {
    if (in_flight_ >= context_.max_in_flight) {
      co_await wait_for_slot();
      continue;
    }
    auto message = buffered_message();
    if (closing_) break;
    if (!message) {
      // Bytes OpenSSL decrypted but not yet handed over are read before waiting again.
      if (tls_ && tls_->pending()) {
        if (!read_available({})) break;
        continue;
      }
      auto [ec] = co_await socket_.async_wait(tls_ ? tls_->wait_for() : net::socket_base::wait_read, with_error);
      if (!read_available(ec)) break;
      continue;
    }
    auto now = clock::now();  // one reading per frame: the watchdog, the rate and the ack latency
    silent_deadline_ = now + idle_limit_;
    if (welcomed) {
      handle_message(*message, now);
      continue;
    }
    said_hello_ = true;  // or said something else first, and is closed below
    context_.before_hello.leave(id_);
    if (!message->has_hello()) {
      nack(0, v1::Nack::PROTOCOL_VIOLATION, "the first frame must be a hello");
      close("first frame was not a hello");
      break;
    }
    verifying_ = true;
    ++context_.verifying;
    welcomed = co_await authenticate(message->hello());
    end_verifying();
    if (!welcomed) break;
    if (context_.heard) context_.heard(device_->id, -1);
  }
}

void device_session::handle_message(const v1::DeviceMessage& message, clock::time_point read_at) {
  if (!take_token(read_at)) {
    // Not stored and not acked as stored: the device re-sends, so nothing is lost.
    context_.figures.admission_refused("event_rate").Increment();
    auto seq = message.has_alarm() ? message.alarm().seq() : message.heartbeat().seq();
    nack(seq, v1::Nack::RATE_LIMITED, "more than the centre takes from one device: re-send shortly");
    return;
  }
  switch (message.body_case()) {
    case v1::DeviceMessage::kAlarm:
      if (context_.heard) context_.heard(device_->id, -1);
      handle_alarm(message.alarm(), read_at);
      break;
    case v1::DeviceMessage::kHeartbeat: {
      context_.figures.heartbeats_received.Increment();
      // proto3 cannot tell 0 from absent: 0 means "not reported" (a device at 0% is silent).
      auto battery = message.heartbeat().battery_pct();
      if (context_.heard) context_.heard(device_->id, battery == 0 ? -1 : static_cast<int>(std::min(battery, 100u)));
      ack(message.heartbeat().seq());
      break;
    }
    default:
      nack(0, v1::Nack::PROTOCOL_VIOLATION, "hello was already accepted on this connection");
      break;
  }
}

}  // namespace lantern
