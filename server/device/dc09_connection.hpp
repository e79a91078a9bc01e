#pragma once
// One alarm unit's TCP connection to the DC-09 receiver: frames split across reads or
// several in one read, taken one at a time in order (the next is not read until the
// last one's reply is written), so a unit that sends fast is held back by its own
// commits. Bounded: at most one frame (1 KiB) buffered; a frame begun and not ended in
// time, or a connection silent too long, is closed.

#include "device/dc09_receiver.hpp"

#include <boost/asio/steady_timer.hpp>

namespace lantern {

class dc09_connection : public std::enable_shared_from_this<dc09_connection> {
 public:
  static void start(net::ip::tcp::socket socket, dc09_context& context, std::uint64_t id);
  dc09_connection(net::ip::tcp::socket socket, dc09_context& context, std::uint64_t id);
  ~dc09_connection();

 private:
  net::awaitable<void> run();
  // Takes one frame and waits for its answer.
  net::awaitable<dc09_answer> take(std::string bytes);
  void drop(std::string_view why);

  net::ip::tcp::socket socket_;
  dc09_context& context_;
  std::uint64_t id_;
  net::ip::address source_;
  bool waiting_ = true;         // in the waiting room until its first accepted frame
  net::steady_timer deadline_;  // closes a connection silent, or mid-frame, for too long
  bool timed_out_ = false;
};

}  // namespace lantern
