#pragma once
// The case updates every console gets, serialised once and kept in order in shared blocks.
// A console holds a position in it instead of a queue of its own: an update costs a console
// nothing until its writer is free, and then everything since its last write goes out as one
// frame, straight from the blocks. With 200 consoles at 5,000 alarms/s, a queue entry, a
// reference count and a copy per console per update were most of the server's work.
//
// Appended on the core's strand; read from the consoles' sockets on any thread. Holds the
// newest `kept_bytes` at least; a console that falls further behind catches up with a
// snapshot instead.

#include <boost/asio/buffer.hpp>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

namespace lantern {

class update_log {
 public:
  // Where a console has read to: a byte offset into everything ever appended, and how many
  // updates come before it.
  struct position {
    std::uint64_t offset = 0;
    std::uint64_t count = 0;
    friend bool operator==(const position&, const position&) = default;
  };

  // What lies between a position and the end, as buffers ready for one write: the updates
  // separated by newlines. `keep` holds the blocks they point into until the write is done.
  struct span {
    std::vector<std::shared_ptr<const void>> keep;
    std::vector<boost::asio::const_buffer> buffers;
    position end;
    std::size_t bytes = 0;
  };

  explicit update_log(std::size_t kept_bytes, std::size_t block_bytes = 64 * 1024);

  // On the core's strand. `update` is JSON; a raw newline in it (whitespace) becomes a
  // space, since a newline is what parts updates.
  void append(std::string_view update);
  // Thread-safe. The end: a snapshot made now says everything before it.
  position end() const;
  // Thread-safe, without a lock: the end's offset, for a console deciding whether to sleep.
  std::uint64_t end_offset() const { return end_offset_.load(); }
  // Thread-safe. Everything from `from` to `to` (or to the end, if sooner), but whole updates
  // of at most `max_bytes` (at least one); nothing when `from` is no longer kept.
  std::optional<span> read(position from, std::optional<position> to = std::nullopt,
                           std::size_t max_bytes = SIZE_MAX) const;

 private:
  std::optional<span> read_all(position from, std::optional<position> to) const;
  static void keep_at_most(span& out, position from, std::size_t max_bytes);

  struct block {
    std::uint64_t start;  // offset of its first byte
    std::vector<char> bytes;
    std::size_t used = 0;  // written, and published once `end_` counts it
  };

  std::size_t kept_bytes_;
  std::size_t block_bytes_;
  mutable std::mutex mutex_;  // guards the list of blocks and `end_`, not the bytes written
  std::deque<std::shared_ptr<block>> blocks_;
  position end_;
  // The same offset, for end_offset(); sequentially consistent with each console's `idle`
  // flag, so that a console going to sleep as an update arrives is always woken.
  std::atomic<std::uint64_t> end_offset_{0};
};

}  // namespace lantern
