// The DC-09 receiver's front door (TCP accept, UDP datagrams) and what it does with a frame.
#include "device/dc09_receiver.hpp"

#include "centre/calendar.hpp"
#include "dc09/crypto.hpp"
#include "dc09/intake.hpp"
#include "device/dc09_connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sodium.h>

#include <array>
#include <optional>

namespace lantern {
namespace {

std::optional<dc09::account> account_of(const device_record& d) {
  dc09::account out{d.id, d.person_id, d.dc09->receiver, d.dc09->line, {}, d.dc09->zones};
  if (!d.dc09->key.empty()) {
    auto key = dc09::key_bytes(d.dc09->key, d.dc09->key_ascii ? dc09::key_form::ascii : dc09::key_form::hex);
    if (!key) return std::nullopt;  // checked when stored; never a key of the wrong size
    out.key = std::move(*key);
  }
  return out;
}

// What makes a re-send the same event: its seq and content, and its place in the frame.
std::string resend_digest(const dc09::intake& in, std::size_t index) {
  auto text = in.seq + "|" + in.content + "|" + std::to_string(index);
  std::array<unsigned char, 16> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                     nullptr, 0);
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

// Counts a frame's alarms down as the journal answers; the last answer sends the reply.
struct pending_frame {
  std::atomic<std::size_t> remaining;
  std::atomic<bool> all_stored{true};
  std::atomic<std::size_t> duplicates{0};
  std::string reply;
  std::function<void(dc09_answer)> answer;
  std::chrono::steady_clock::time_point read_at;
};

}  // namespace

void log_dc09_refusal(dc09_context& context, const net::ip::address& source, std::string_view what) {
  auto now = now_ms();
  auto window = context.log_window_ms.load();
  if (now - window >= 1000 && context.log_window_ms.compare_exchange_strong(window, now)) context.logged_in_window = 0;
  if (++context.logged_in_window <= 20) context.log->warn("{}: {}", source.to_string(), what);
}

void take_dc09_frame(dc09_context& context, std::string_view bytes, const net::ip::address& source,
                     std::function<void(dc09_answer)> answer) {
  auto read_at = std::chrono::steady_clock::now();
  if (!context.rates.take(source)) {
    context.figures.dc09_refused("rate_limited").Increment();
    context.figures.dc09_frames("unread", "none").Increment();
    log_dc09_refusal(context, source, "over the rate limit for this address: frame not answered");
    answer({});
    return;
  }
  auto now = now_ms();
  std::shared_ptr<const device_record> record;
  std::optional<dc09::account> account;
  auto lookup = [&](const std::string& account_id) -> const dc09::account* {
    {
      std::shared_lock lock(context.records.lock.get());
      record = context.records.find_dc09_account(account_id);
    }
    if (record && record->dc09) account = account_of(*record);
    return account ? &*account : nullptr;
  };
  auto in = dc09::take_frame(bytes, lookup, now);
  context.figures.dc09_frames(in.token, to_string(in.reply)).Increment();
  if (!in.refusal.empty()) {
    context.figures.dc09_refused(in.refusal).Increment();
    log_dc09_refusal(
        context, source,
        std::string(to_string(in.reply)) + " " + (in.account_id.empty() ? "" : "#" + in.account_id + " ") + in.why);
    if (in.refusal == "unknown_account")
      context.signals.heard_unknown(in.account_id, source.to_string(), in.summary, now);
    answer({std::move(in.reply_bytes), false});
    return;
  }
  context.heard(record->id);
  if (!in.new_key_fingerprint.empty()) {
    // Noted for an administrator to confirm; the key itself is never applied nor logged.
    context.log->warn("dc09 #{} ({}) asks to change its key to {}: set it on the device record to accept",
                      in.account_id, record->id, in.new_key_fingerprint);
    context.signals.key_change_requested({record->id, in.account_id, now, in.new_key_fingerprint});
  }
  if (in.alarms.empty()) {
    answer({std::move(in.reply_bytes), true});
    return;
  }
  auto pending = std::make_shared<pending_frame>();
  pending->remaining = in.alarms.size();
  pending->reply = std::move(in.reply_bytes);
  pending->answer = std::move(answer);
  pending->read_at = read_at;
  auto& figures = context.figures;
  for (std::size_t i = 0; i < in.alarms.size(); ++i) {
    auto& alarm = in.alarms[i];
    alarm_event event;
    event.device_id = record->id;
    event.person_id = record->person_id;
    event.type = alarm.type;
    event.occurred_at_ms = in.sent_at_ms.value_or(now);
    event.received_at_ms = now;
    event.detail = std::move(alarm.detail);
    event.resend_digest = resend_digest(in, i);
    figures.events_received(event.type).Increment();
    context.store.append(std::move(event), [pending, &figures](event_journal::outcome result) {
      using outcome = event_journal::outcome;
      if (result == outcome::duplicate) ++pending->duplicates;
      if (result != outcome::stored && result != outcome::duplicate) pending->all_stored = false;
      if (--pending->remaining != 0) return;
      if (!pending->all_stored) {
        // Not acked: the unit sends it again, and what was stored is stored once.
        pending->answer({});
        return;
      }
      figures.duplicate_alarms.Increment(static_cast<double>(pending->duplicates.load()));
      figures.ack_latency_seconds.Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - pending->read_at).count());
      pending->answer({std::move(pending->reply), true});
    });
  }
}

dc09_receiver::dc09_receiver(net::any_io_executor io, dc09_context& context, const net::ip::address& bind,
                             unsigned short port)
    // On a strand of its own: the replies after a commit, the receive loop and the close
    // each touch the one socket, from whichever thread they start on.
    : context_(context), udp_(net::make_strand(io)) {
  // One port number for both: with 0, the TCP port the system picks is taken for UDP too
  // (tried again with another when that UDP port is busy).
  for (int attempt = 0;; ++attempt) {
    auto accepted = [this](net::ip::tcp::socket socket) {
      if (context_.connections.load() >= context_.limits.max_connections) {
        context_.figures.dc09_refused("connections").Increment();
        boost::system::error_code ec;
        socket.close(ec);
        return;
      }
      dc09_connection::start(std::move(socket), context_, ++next_connection_id_);
    };
    tcp_ = std::make_unique<listener>(io, net::ip::tcp::endpoint(bind, port), "dc09", context_.log, accepted);
    port_ = tcp_->local_endpoint().port();
    boost::system::error_code ec;
    udp_.open(bind.is_v4() ? net::ip::udp::v4() : net::ip::udp::v6(), ec);
    if (!ec) udp_.bind(net::ip::udp::endpoint(bind, port_), ec);
    if (!ec) return;
    udp_.close();
    if (port != 0 || attempt >= 20) throw boost::system::system_error(ec, "dc09 UDP port " + std::to_string(port_));
  }
}

void dc09_receiver::start() {
  tcp_->start();
  net::co_spawn(udp_.get_executor(), receive_datagrams(), net::detached);
}

void dc09_receiver::stop() {
  tcp_->stop();
  net::post(udp_.get_executor(), [this] {
    boost::system::error_code ec;
    udp_.close(ec);
  });
}

net::awaitable<void> dc09_receiver::receive_datagrams() {
  // One frame per datagram. Each reply goes to the sender's address, from this socket's
  // executor (the replies after a commit come from the journal's thread).
  std::array<char, 2048> buffer;
  net::ip::udp::endpoint sender;
  auto executor = udp_.get_executor();
  while (udp_.is_open()) {
    boost::system::error_code ec;
    auto size =
        co_await udp_.async_receive_from(net::buffer(buffer), sender, net::redirect_error(net::use_awaitable, ec));
    if (ec == net::error::operation_aborted || !udp_.is_open()) break;
    if (ec) continue;  // an ICMP error for an earlier reply, say
    if (size > dc09::frame_splitter::max_frame) {
      context_.figures.dc09_refused("oversize").Increment();
      log_dc09_refusal(context_, sender.address(), "datagram of " + std::to_string(size) + " bytes: too long, dropped");
      continue;
    }
    auto reply_to = sender;
    take_dc09_frame(context_, std::string_view(buffer.data(), size), sender.address(),
                    [this, executor, reply_to](dc09_answer answer) {
                      if (answer.bytes.empty()) return;
                      auto reply = std::make_shared<std::string>(std::move(answer.bytes));
                      net::post(executor, [this, reply_to, reply] {
                        if (!udp_.is_open()) return;
                        udp_.async_send_to(net::buffer(*reply), reply_to, [reply](auto, auto) {});
                      });
                    });
  }
}

}  // namespace lantern
