#pragma once
// One device connection: hello and authentication, then alarms (acked after their commit)
// and heartbeats (acked at once). A reader coroutine, the writes and a watchdog timer share
// the connection's strand; the session owns itself through shared_from_this().
//
// Kept small, since a centre holds 100,000 of these idle: no read buffer of its own (reads
// go through one buffer per thread), the writer and the watchdog are plain handlers rather
// than coroutines, and the watchdog is not re-armed for every frame.

#include "device/device_gateway.hpp"
#include "device/frame_codec.hpp"
#include "device/landed_alarms.hpp"
#include "device/tls_link.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lantern {

class device_session : public std::enable_shared_from_this<device_session> {
 public:
  // `tls`: the device port's certificate, when it speaks TLS (the handshake comes first,
  // inside the time allowed for the hello).
  device_session(net::ip::tcp::socket socket, gateway_context& context, std::uint64_t id,
                 net::ssl::context* tls = nullptr);
  ~device_session();
  void start();
  std::uint64_t id() const { return id_; }
  // Made way for a newer connection while still before its hello (any thread).
  void drop_before_hello();
  // The journal has settled these alarms of this session's (from an I/O thread): acked or
  // nacked in one write.
  void alarms_landed(std::span<const landed_alarm> landed);

 private:
  using clock = std::chrono::steady_clock;
  using nack_reason = lantern::device::v1::Nack::Reason;

  net::awaitable<void> reader();
  void write_outbox();
  void on_written(const boost::system::error_code& ec);
  void finish();
  void watch();
  // The silent link is dropped at `deadline`; an earlier one takes effect at once.
  void drop_if_silent_until(clock::time_point deadline);
  // The next whole message already received, if any; a malformed frame closes the session.
  std::optional<lantern::device::v1::DeviceMessage> buffered_message();
  // Takes what the readable socket holds; false once the link has ended.
  bool read_available(boost::system::error_code ec);
  void handle_message(const lantern::device::v1::DeviceMessage& message, clock::time_point read_at);
  net::awaitable<bool> authenticate(const lantern::device::v1::Hello& hello);
  net::awaitable<void> wait_for_slot();
  void handle_alarm(const lantern::device::v1::Alarm& alarm, clock::time_point read_at);
  // Whether the device's record still admits this session (an administrator may have
  // deactivated it or changed its token since it logged in); takes up any other change.
  bool still_admitted();
  void on_stored(std::uint64_t seq, clock::time_point read_at, event_journal::outcome result);
  void send(const lantern::device::v1::ServerMessage& message);
  void ack(std::uint64_t seq);
  void nack(std::uint64_t seq, nack_reason reason, const std::string& detail);
  // Ends the session once the outbox is written; logs `why` (if any) once.
  void close(const std::string& why);
  std::string name() const;

  net::awaitable<void> handshake_then_read();
  net::awaitable<void> write_tls();

  net::ip::tcp::socket socket_;    // its executor is the connection's strand, shared by all below
  std::unique_ptr<tls_link> tls_;  // over socket_, when the port speaks TLS
  gateway_context& context_;
  std::uint64_t id_;
  std::shared_ptr<const device_record> device_;
  std::uint64_t epoch_ = 0;  // Hello.epoch: the run of the device's seq counter
  std::chrono::seconds idle_limit_;
  std::string outbox_;         // encoded frames waiting for the write in progress
  std::string writing_batch_;  // the write in progress
  bool writing_ = false;
  bool holding_writes_ = false;                     // while a commit's acks are queued: they go out in one write
  std::unique_ptr<net::steady_timer> slot_signal_;  // made the first time the device is too far ahead
  net::steady_timer idle_timer_;
  clock::time_point silent_deadline_;
  std::size_t in_flight_ = 0;
  device_link::frame_splitter splitter_;
  bool closing_ = false;
  bool finished_ = false;
  bool said_hello_ = false;
  bool verifying_ = false;
  // The per-device event rate: a token bucket refilled at limits.events_per_second.
  double tokens_;
  clock::time_point refilled_at_ = clock::now();
  bool take_token(clock::time_point now);
  void end_verifying();
};

}  // namespace lantern
