#include "web/websocket_session.hpp"

#include "web/carer_role.hpp"
#include "web/console_messages.hpp"
#include "web/console_role.hpp"

#include <google/protobuf/util/json_util.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

namespace lantern {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
constexpr auto with_error = net::as_tuple(net::use_awaitable);

// `Stream`: beast::tcp_stream, or tls_stream under TLS.
template <class Stream>
class websocket_session : public console_subscriber,
                          public login_watcher,
                          public socket_peer,
                          public std::enable_shared_from_this<websocket_session<Stream>> {
  using std::enable_shared_from_this<websocket_session<Stream>>::shared_from_this;
  using std::enable_shared_from_this<websocket_session<Stream>>::weak_from_this;

 public:
  websocket_session(Stream stream, web_context& context, std::unique_ptr<socket_role> role)
      : ws_(std::move(stream)), context_(context), role_(std::move(role)), signal_(ws_.get_executor()) {}

  void start(http_request upgrade) {
    auto self = shared_from_this();
    net::co_spawn(
        ws_.get_executor(), [self, upgrade = std::move(upgrade)]() mutable { return self->run(std::move(upgrade)); },
        net::detached);
  }

  // Logout, a password reset, deactivation, a new role: the console closes at once.
  void login_ended() override {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
      if (self->stopped_) return;
      self->context_.log->info("console of '{}' closed: its login ended", self->role_->name());
      self->close_now();
    });
  }

  void deliver(std::shared_ptr<const std::string> message) override { arrive({std::move(message)}); }
  void deliver_snapshot(std::shared_ptr<const std::string> message, update_log::position resume) override {
    arrive({std::move(message), outgoing::kind::snapshot, resume});
  }
  void updates_arrived() override {
    // Only a writer asleep needs waking: a busy one reads the log when its write is done.
    if (idle_.exchange(false)) net::post(ws_.get_executor(), [self = shared_from_this()] { self->signal_.cancel(); });
  }
  void check_reading() override {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
      if (!self->stopped_ && self->write_stuck() && self->behind(self->updates().end())) self->close_as_too_slow();
    });
  }

  // socket_peer: for the role, on the socket's executor.
  void send(std::shared_ptr<const std::string> message) override { enqueue({std::move(message)}); }
  void send_error(const std::string& message) override {
    lantern::console::v1::ConsoleEvent event;
    event.mutable_error()->set_message(message);
    send(std::make_shared<const std::string>(console_messages::to_json(event)));
  }
  void close_now() override {
    boost::system::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    stop();
  }
  std::weak_ptr<console_subscriber> as_subscriber() override { return weak_from_this(); }
  std::weak_ptr<login_watcher> as_login_watcher() override { return weak_from_this(); }
  bool snapshot_pending() const override { return snapshot_pending_; }
  void expect_snapshot() override { snapshot_pending_ = true; }

 private:
  net::awaitable<void> run(http_request upgrade) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(64 * 1024);
    // Beast splits outgoing messages into 4 KiB frames by default: one write each. A batch
    // of updates goes out whole instead.
    ws_.auto_fragment(false);
    // An update is small and urgent: Nagle's algorithm would hold it for the last ACK.
    boost::system::error_code ignored;
    beast::get_lowest_layer(ws_).socket().set_option(net::ip::tcp::no_delay(true), ignored);
    auto [ec] = co_await ws_.async_accept(upgrade, with_error);
    if (ec) co_return;
    auto self = shared_from_this();
    net::co_spawn(
        ws_.get_executor(), [self] { return self->writer(); }, net::detached);
    if (!role_->opened(*this, upgrade)) {
      close_now();
      co_return;
    }
    co_await reader();
  }

  net::awaitable<void> reader() {
    beast::flat_buffer buffer;
    for (;;) {
      auto [ec, n] = co_await ws_.async_read(buffer, with_error);
      if (ec) break;
      std::string text = beast::buffers_to_string(buffer.data());
      buffer.consume(buffer.size());
      if (!take_token()) {
        context_.log->warn("console of '{}' closed: more than {} commands a second", role_->name(),
                           commands_per_second);
        context_.figures.consoles_closed_flooding.Increment();
        close_now();
        break;
      }
      handle(text);
    }
    stop();
  }

  // A person sends a few commands a second at most; a page in a loop, or an attacker, more.
  bool take_token() {
    auto now = std::chrono::steady_clock::now();
    tokens_ = std::min(command_burst,
                       tokens_ + std::chrono::duration<double>(now - refilled_at_).count() * commands_per_second);
    refilled_at_ = now;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

  void handle(const std::string& text) {
    lantern::console::v1::Command request;
    auto parsed = google::protobuf::util::JsonStringToMessage(text, &request);
    if (!parsed.ok()) {
      send_error("not a console command (" + std::string(parsed.message()) +
                 "): expected a JSON object such as {\"type\":\"accept\",\"request_id\":\"1\",\"case_id\":\"42\"}");
      return;
    }
    role_->received(*this, request);
  }

  // What a socket sends besides the log's updates: answers, access details, the floor, a
  // snapshot, a carer's view. Each goes after the updates logged before it arrived.
  struct outgoing {
    enum class kind { other, snapshot };
    outgoing(std::shared_ptr<const std::string> text, kind what = kind::other,
             std::optional<update_log::position> after = std::nullopt)
        : text(std::move(text)), what(what), after(after) {}
    std::shared_ptr<const std::string> text;
    kind what;
    std::optional<update_log::position> after;  // set on arrival when not given
  };

  const update_log& updates() const { return context_.consoles.updates(); }

  // From the core's strand or a lookup's thread. One post per burst, not per message.
  void arrive(outgoing message) {
    if (!message.after) message.after = updates().end();
    std::lock_guard lock(inbox_mutex_);
    inbox_.push_back(std::move(message));
    if (drain_posted_) return;
    drain_posted_ = true;
    net::post(ws_.get_executor(), [self = shared_from_this()] { self->drain_inbox(); });
  }

  void drain_inbox() {
    std::vector<outgoing> arrived;
    {
      std::lock_guard lock(inbox_mutex_);
      arrived.swap(inbox_);
      drain_posted_ = false;
    }
    for (auto& message : arrived) enqueue(std::move(message));
  }

  void enqueue(outgoing message) {
    if (stopped_) return;
    if (!message.after) message.after = updates().end();
    if (message.what == outgoing::kind::snapshot) {
      // It says every update before it: the console reads the log on from there.
      stale_ = false;
      cursor_ = message.after;
    }
    if (too_far_behind(message)) {
      close_as_too_slow();
      return;
    }
    queued_bytes_ += message.text->size();
    queue_.push_back(std::move(message));
    signal_.cancel();
  }

  // Bounded in messages and in bytes (what is written counts until the write is done);
  // a single message never closes a console, however big.
  bool too_far_behind(const outgoing& message) const {
    return queue_.size() >= context_.console_queue_limit ||
           (!queue_.empty() && queued_bytes_ + message.text->size() > context_.console_queue_bytes);
  }

  // Whether the log's updates from this console's position to `end` are more than it may
  // fall behind by (or it already has, and waits for a snapshot).
  bool behind(update_log::position end) const {
    if (stale_) return true;
    if (!cursor_) return false;
    return end.count - cursor_->count > context_.console_queue_limit ||
           end.offset - cursor_->offset > context_.console_queue_bytes;
  }

  bool write_stuck() const {
    return writing_now_ && std::chrono::steady_clock::now() - write_started_ > write_stuck_after;
  }

  void close_as_too_slow() {
    context_.log->warn("console of '{}' closed: client too slow ({} messages, {} KiB behind)", role_->name(),
                       queue_.size(), queued_bytes_ / 1024);
    context_.figures.consoles_closed_slow.Increment();
    close_now();
  }

  // In a storm a console that reads, but slower than updates come, skips the updates it is
  // behind by and gets a fresh snapshot in their place once its writer is free (as many
  // cases as are open, rather than one update per alarm), then reads on from there.
  void fall_behind(update_log::position end) {
    auto behind = end.count - cursor_->count;
    auto behind_bytes = end.offset - cursor_->offset;
    cursor_.reset();
    if (!role_->catches_up()) {
      close_as_too_slow();
      return;
    }
    stale_ = true;
    if (said_fell_behind_) return;
    said_fell_behind_ = true;  // once a console: in a storm, every console may do it every second
    context_.log->warn(
        "console of '{}' fell behind ({} updates, {} KiB): it skips them for a fresh snapshot (logged once a "
        "console)",
        role_->name(), behind, behind_bytes / 1024);
  }

  void stop() {
    stopped_ = true;
    queue_.clear();
    queued_bytes_ = 0;
    cursor_.reset();
    signal_.cancel();
  }

  // A frame in the making: buffers pointing into the log's blocks and the queued messages.
  struct frame {
    std::vector<net::const_buffer> buffers;
    std::vector<std::shared_ptr<const void>> keep;  // the log's blocks and the messages, until written
    std::size_t messages = 0;                       // from the front of the queue
    bool has_snapshot = false;

    void add(net::const_buffer piece) {
      static constexpr char newline = '\n';
      if (!buffers.empty()) buffers.push_back(net::buffer(&newline, 1));
      buffers.push_back(piece);
    }
    void clear() {
      buffers.clear();
      keep.clear();
      messages = 0;
      has_snapshot = false;
    }
  };

  // The log's updates from this console's position to `until` (or the end).
  void take_updates(frame& out, std::optional<update_log::position> until) {
    if (!cursor_) return;
    auto span = updates().read(*cursor_, until, max_update_bytes_per_frame);
    if (!span || behind(span->end)) {
      fall_behind(span ? span->end : updates().end());
      return;
    }
    if (span->buffers.empty()) return;
    // Its first line is already without a separator before it.
    out.add(span->buffers.front());
    out.buffers.insert(out.buffers.end(), span->buffers.begin() + 1, span->buffers.end());
    out.keep.insert(out.keep.end(), span->keep.begin(), span->keep.end());
    cursor_ = span->end;
  }

  // Everything due goes out as one frame, a message per line: the queued messages, each
  // after the updates logged before it, then the rest of the log.
  void collect(frame& out) {
    out.clear();
    for (; out.messages < queue_.size() && out.messages < max_messages_per_frame; ++out.messages) {
      const auto& message = queue_[out.messages];
      if (message.what == outgoing::kind::snapshot)
        out.has_snapshot = true;
      else
        take_updates(out, message.after);
      out.add(net::buffer(*message.text));
      out.keep.push_back(message.text);  // stop() may clear the queue while it is written
    }
    if (out.messages == queue_.size()) take_updates(out, std::nullopt);
  }

  bool has_work() const {
    return !queue_.empty() || (stale_ && !snapshot_pending_) || (cursor_ && updates().end_offset() != cursor_->offset);
  }

  net::awaitable<void> writer() {
    frame out;
    while (!stopped_) {
      // Asked for only now that the writer is free: made earlier, it would wait behind the
      // write in flight and be stale by its turn.
      // Counted here, not per fall: falls before the writer is free share one snapshot.
      if (stale_ && !snapshot_pending_) {
        role_->catch_up(*this);
        context_.figures.consoles_caught_up.Increment();
      }
      collect(out);
      if (stopped_) break;  // closed as too slow while collecting
      if (out.buffers.empty()) {
        // Asleep only once the log is seen not to have moved after saying so: an update
        // logged in between wakes it (updates_arrived).
        idle_.store(true);
        if (has_work()) {
          idle_.store(false);
          continue;
        }
        signal_.expires_at(std::chrono::steady_clock::time_point::max());
        co_await signal_.async_wait(with_error);
        idle_.store(false);
        continue;
      }
      writing_now_ = true;
      write_started_ = std::chrono::steady_clock::now();
      // A resync asked for once the snapshot is on its way gets another: the page may have
      // read this one already (the read of its request can complete before this write's).
      if (out.has_snapshot) snapshot_pending_ = false;
      ws_.text(true);
      auto [ec, n] = co_await ws_.async_write(out.buffers, with_error);
      writing_now_ = false;
      if (ec) {
        stop();
        break;
      }
      // stop() may have cleared the queue while the write was in flight.
      if (stopped_) break;
      for (std::size_t i = 0; i < out.messages; ++i) queued_bytes_ -= queue_[i].text->size();
      queue_.erase(queue_.begin(), queue_.begin() + std::ptrdiff_t(out.messages));
      out.clear();  // the log's blocks are not held by a console that then sleeps
    }
  }

  static constexpr std::size_t max_messages_per_frame = 256;
  // A page reads a frame whole before it shows any of it: a console far behind gets its
  // backlog in steps, as the network takes them, not in one frame of megabytes.
  static constexpr std::size_t max_update_bytes_per_frame = 256 * 1024;
  // A write that long in flight while the console falls behind: the page is not reading.
  static constexpr std::chrono::seconds write_stuck_after{10};
  static constexpr double commands_per_second = 100;
  static constexpr double command_burst = 300;
  websocket::stream<Stream> ws_;
  web_context& context_;
  std::unique_ptr<socket_role> role_;
  net::steady_timer signal_;
  std::deque<outgoing> queue_;  // owned until written
  std::size_t queued_bytes_ = 0;
  bool writing_now_ = false;
  std::chrono::steady_clock::time_point write_started_;
  // Where this console reads the update log from: set by a snapshot, unset when it falls behind.
  std::optional<update_log::position> cursor_;
  std::atomic<bool> idle_{false};  // the writer sleeps: updates_arrived wakes it
  bool stale_ = false;             // fell behind: waits for a fresh snapshot
  bool said_fell_behind_ = false;
  bool snapshot_pending_ = false;  // asked for or queued, not yet being written: a resync waits for it
  double tokens_ = command_burst;
  std::chrono::steady_clock::time_point refilled_at_ = std::chrono::steady_clock::now();
  std::mutex inbox_mutex_;
  std::vector<outgoing> inbox_;  // from the core, not yet queued
  bool drain_posted_ = false;
  bool stopped_ = false;
};

template <class Stream>
void start_session(Stream stream, web_context& context, std::unique_ptr<socket_role> role, http_request upgrade) {
  std::make_shared<websocket_session<Stream>>(std::move(stream), context, std::move(role))->start(std::move(upgrade));
}

}  // namespace

void start_carer_session(beast::tcp_stream stream, web_context& context, carer_link_entry link, http_request upgrade) {
  start_session(std::move(stream), context, std::make_unique<carer_role>(context, std::move(link)), std::move(upgrade));
}

void start_carer_session(tls_stream stream, web_context& context, carer_link_entry link, http_request upgrade) {
  start_session(std::move(stream), context, std::make_unique<carer_role>(context, std::move(link)), std::move(upgrade));
}

void start_websocket_session(beast::tcp_stream stream, web_context& context, std::string username,
                             http_request upgrade) {
  start_session(std::move(stream), context, std::make_unique<console_role>(context, std::move(username)),
                std::move(upgrade));
}

void start_websocket_session(tls_stream stream, web_context& context, std::string username, http_request upgrade) {
  start_session(std::move(stream), context, std::make_unique<console_role>(context, std::move(username)),
                std::move(upgrade));
}

}  // namespace lantern
