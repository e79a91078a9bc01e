#include "device/dc09_connection.hpp"

#include "dc09/frame.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

// GCC 12 reports Asio's own coroutine-frame delete as mismatched with its new when these
// coroutines are inlined into one another: a false positive of that compiler.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace lantern {

void dc09_connection::start(net::ip::tcp::socket socket, dc09_context& context, std::uint64_t id) {
  auto connection = std::make_shared<dc09_connection>(std::move(socket), context, id);
  auto made_way = context.before_first_frame.enter(id, connection->source_, [weak = std::weak_ptr(connection)] {
    if (auto dropped = weak.lock()) dropped->drop("made way for a newer connection before its first frame");
  });
  if (made_way != waiting_room::made_way::nobody) context.figures.dc09_refused("waiting").Increment();
  net::co_spawn(
      connection->socket_.get_executor(), [connection] { return connection->run(); }, net::detached);
}

dc09_connection::dc09_connection(net::ip::tcp::socket socket, dc09_context& context, std::uint64_t id)
    : socket_(std::move(socket)), context_(context), id_(id), deadline_(socket_.get_executor()) {
  boost::system::error_code ec;
  source_ = socket_.remote_endpoint(ec).address();
  ++context_.connections;
}

dc09_connection::~dc09_connection() {
  if (waiting_) context_.before_first_frame.leave(id_);
  --context_.connections;
}

void dc09_connection::drop(std::string_view why) {
  // From the waiting room's caller's thread: close on the connection's own strand.
  net::post(socket_.get_executor(), [self = shared_from_this(), why = std::string(why)] {
    if (!self->socket_.is_open()) return;
    log_dc09_refusal(self->context_, self->source_, why);
    boost::system::error_code ec;
    self->socket_.close(ec);
  });
}

net::awaitable<dc09_answer> dc09_connection::take(std::string bytes) {
  auto initiate = [this](auto handler, std::string frame) {
    auto caller = net::prefer(net::get_associated_executor(handler), net::execution::outstanding_work.tracked);
    // The journal keeps its callback in a std::function, which must be copyable.
    auto waiting = std::make_shared<decltype(handler)>(std::move(handler));
    take_dc09_frame(context_, frame, source_, [waiting, caller](dc09_answer answer) {
      net::post(caller, [waiting, answer = std::move(answer)]() mutable { std::move (*waiting)(std::move(answer)); });
    });
  };
  return net::async_initiate<const net::use_awaitable_t<>&, void(dc09_answer)>(initiate, net::use_awaitable,
                                                                               std::move(bytes));
}

net::awaitable<void> dc09_connection::run() {
  auto self = shared_from_this();
  dc09::frame_splitter splitter;
  std::array<char, dc09::frame_splitter::max_frame> buffer;
  std::string why_closed;
  while (socket_.is_open() && why_closed.empty()) {
    // A frame begun must end soon, and a new connection must bring its first frame soon (a
    // slow or silent peer holds nothing for long); between frames a unit that has been
    // taken may stay connected until its next message is due.
    bool partial = splitter.buffered() > 0;
    bool hurry = partial || waiting_;
    timed_out_ = false;
    deadline_.expires_after(hurry ? context_.limits.partial_frame_timeout : context_.limits.idle_timeout);
    deadline_.async_wait([self](const boost::system::error_code& ec) {
      // A late firing for an earlier read finds the deadline moved on, and does nothing.
      if (ec || self->deadline_.expiry() > std::chrono::steady_clock::now()) return;
      self->timed_out_ = true;
      boost::system::error_code ignored;
      self->socket_.cancel(ignored);
    });
    boost::system::error_code ec;
    auto size = co_await socket_.async_read_some(net::buffer(buffer), net::redirect_error(net::use_awaitable, ec));
    deadline_.cancel();
    if (timed_out_) {
      if (hurry) context_.figures.dc09_refused(partial ? "slow_writer" : "silent").Increment();
      why_closed = partial ? "a frame begun was not finished in time (slow writer): closed"
                   : hurry ? "no frame taken within the first-frame deadline (silent connection): closed"
                           : "";
      break;
    }
    if (ec) break;  // the unit closed, or the receiver stops
    splitter.feed(std::string_view(buffer.data(), size));
    while (auto piece = splitter.next()) {
      using kind = dc09::frame_splitter::piece::kind;
      if (piece->what == kind::garbage || piece->what == kind::oversize) {
        auto reason = piece->what == kind::garbage ? "garbage" : "oversize";
        context_.figures.dc09_refused(reason).Increment();
        log_dc09_refusal(context_, source_,
                         std::string(piece->what == kind::garbage ? "bytes outside a frame" : "no <CR> within 1 KiB") +
                             " (" + std::to_string(piece->bytes.size()) + " bytes): dropped");
        continue;
      }
      // A frame, or one whose length is wrong (take_frame NAKs it, naming why).
      auto answer = co_await take(std::move(piece->bytes));
      if (waiting_ && answer.taken) {
        waiting_ = false;
        context_.before_first_frame.leave(id_);
      }
      if (answer.bytes.empty() || !socket_.is_open()) continue;
      co_await net::async_write(socket_, net::buffer(answer.bytes), net::redirect_error(net::use_awaitable, ec));
      if (ec) break;
    }
  }
  if (!why_closed.empty()) log_dc09_refusal(context_, source_, why_closed);
  boost::system::error_code ignored;
  socket_.close(ignored);
}

}  // namespace lantern
