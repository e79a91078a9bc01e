#include "listener/source_rates.hpp"

#include <algorithm>

namespace lantern {

std::size_t address_hash::operator()(const boost::asio::ip::address& a) const {
  if (a.is_v4()) return std::hash<std::uint32_t>()(a.to_v4().to_uint());
  auto bytes = a.to_v6().to_bytes();
  std::string_view view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return std::hash<std::string_view>()(view);
}

double source_rates::refilled(const bucket& b, clock::time_point now) const {
  double seconds = std::chrono::duration<double>(now - b.refilled_at).count();
  return std::min(burst_, b.tokens + std::max(0.0, seconds) * per_second_);
}

bool source_rates::take(const boost::asio::ip::address& source, clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto found = buckets_.find(source);
  if (found == buckets_.end()) {
    if (buckets_.size() >= max_sources_)
      std::erase_if(buckets_, [&](const auto& entry) { return refilled(entry.second, now) >= burst_; });
    // Every source busy at once: a new one waits until some are quiet (never unbounded).
    if (buckets_.size() >= max_sources_) return false;
    found = buckets_.emplace(source, bucket{burst_, now}).first;
  }
  auto& b = found->second;
  b.tokens = refilled(b, now);
  b.refilled_at = now;
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

std::size_t source_rates::sources() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

}  // namespace lantern
