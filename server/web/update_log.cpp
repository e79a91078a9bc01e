#include "web/update_log.hpp"

#include <algorithm>
#include <cstring>

namespace lantern {

update_log::update_log(std::size_t kept_bytes, std::size_t block_bytes)
    : kept_bytes_(kept_bytes), block_bytes_(block_bytes) {}

void update_log::append(std::string_view update) {
  // Each update is stored after its separator, so that a console's frame is one run of
  // bytes from just past the newline at its position.
  auto size = update.size() + 1;
  std::shared_ptr<block> tail;
  {
    std::lock_guard lock(mutex_);
    if (!blocks_.empty() && blocks_.back()->bytes.size() - blocks_.back()->used >= size) tail = blocks_.back();
  }
  bool fresh = !tail;
  if (fresh) {
    // An update never spans blocks; one bigger than a block gets a block of its own.
    tail = std::make_shared<block>();
    tail->start = end_.offset;  // only this strand moves the end
    tail->bytes.resize(std::max(block_bytes_, size));
  }
  // Past what readers may see until the end moves, so written without the lock.
  char* at = tail->bytes.data() + tail->used;
  at[0] = '\n';
  std::memcpy(at + 1, update.data(), update.size());
  // A newline ends an update for every console. In JSON a raw one can only be whitespace
  // between tokens (a string holds it escaped), so a space says the same.
  // Checked with memchr first: nearly every update has none, and this runs for each one.
  if (std::memchr(at + 1, '\n', update.size()) != nullptr) std::replace(at + 1, at + size, '\n', ' ');

  std::lock_guard lock(mutex_);
  if (fresh) blocks_.push_back(tail);
  tail->used += size;
  end_.offset += size;
  ++end_.count;
  end_offset_.store(end_.offset);
  while (blocks_.size() > 1 && end_.offset - blocks_[1]->start >= kept_bytes_) blocks_.pop_front();
}

update_log::position update_log::end() const {
  std::lock_guard lock(mutex_);
  return end_;
}

std::optional<update_log::span> update_log::read(position from, std::optional<position> to,
                                                 std::size_t max_bytes) const {
  auto out = read_all(from, to);
  if (out && out->bytes > max_bytes) keep_at_most(*out, from, max_bytes);
  return out;
}

// Cuts `out` (read from `from`) after the last whole update within `max_bytes`, or after the
// first if that alone is bigger. Compact JSON has no raw newline: each one ends an update.
void update_log::keep_at_most(span& out, position from, std::size_t max_bytes) {
  std::size_t kept = 0, piece = 0;
  const char* cut = nullptr;  // the newline the frame ends before
  for (; piece < out.buffers.size() && !cut; ++piece) {
    const auto* bytes = static_cast<const char*>(out.buffers[piece].data());
    auto size = out.buffers[piece].size();
    if (kept + size <= max_bytes) {
      kept += size;
      continue;
    }
    auto room = max_bytes - kept;
    cut = static_cast<const char*>(memrchr(bytes, '\n', room));
    // None within the budget in this piece: the piece before ended on an update's end, unless
    // this is the first, which then goes whole up to its first update's end.
    if (!cut && piece == 0) cut = static_cast<const char*>(std::memchr(bytes, '\n', size));
    if (!cut) {
      // The first piece is one update, bigger than the budget: it goes whole, alone.
      auto whole = piece == 0 ? 1 : piece;
      out.buffers.resize(whole);
      out.keep.resize(whole);
      break;
    }
    out.buffers[piece] = boost::asio::const_buffer(bytes, static_cast<std::size_t>(cut - bytes));
    out.buffers.resize(piece + 1);
    out.keep.resize(piece + 1);
  }
  std::size_t bytes = 0, newlines = 0;
  for (const auto& b : out.buffers) {
    bytes += b.size();
    const auto* text = static_cast<const char*>(b.data());
    newlines += static_cast<std::size_t>(std::count(text, text + b.size(), '\n'));
  }
  // The pieces after the first start on an update (their separator at the block's start).
  out.bytes = bytes;
  out.end = {from.offset + 1 + bytes, from.count + newlines + 1};
}

std::optional<update_log::span> update_log::read_all(position from, std::optional<position> to) const {
  span out;
  std::lock_guard lock(mutex_);
  out.end = to && to->offset < end_.offset ? *to : end_;
  if (out.end.offset <= from.offset) {
    out.end = from;  // a message queued from another thread may name an older end
    return out;
  }
  if (blocks_.empty() || from.offset < blocks_.front()->start) return std::nullopt;
  auto it = std::upper_bound(blocks_.begin(), blocks_.end(), from.offset,
                             [](std::uint64_t offset, const auto& b) { return offset < b->start; });
  // From just past the separator at `from`: a frame's first line has none before it.
  std::size_t skip = 1;
  for (--it; it != blocks_.end(); ++it) {
    const auto& b = **it;
    auto first = std::max(from.offset, b.start) - b.start + skip;
    skip = 0;
    if (b.start >= out.end.offset) break;
    auto last = std::min<std::uint64_t>(b.used, out.end.offset - b.start);
    if (first >= last) continue;
    out.buffers.emplace_back(b.bytes.data() + first, last - first);
    out.bytes += last - first;
    out.keep.push_back(*it);
  }
  return out;
}

}  // namespace lantern
