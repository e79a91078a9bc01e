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

std::optional<update_log::span> update_log::read(position from, std::optional<position> to) const {
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
