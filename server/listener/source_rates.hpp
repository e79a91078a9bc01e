#pragma once
// A rate limit per source address: a token bucket for each, refilled at `per_second` up to
// `burst`. Bounded: past `max_sources` the buckets that are full again (sources quiet long
// enough to have their whole burst back) are forgotten, which changes nothing for them.
// Thread-safe.

#include "listener/address_hash.hpp"

#include <chrono>
#include <mutex>
#include <unordered_map>

namespace lantern {

class source_rates {
 public:
  using clock = std::chrono::steady_clock;
  source_rates(double per_second, double burst, std::size_t max_sources = 65'536)
      : per_second_(per_second), burst_(burst), max_sources_(max_sources) {}

  // Whether `source` may send one more now (and takes it).
  bool take(const boost::asio::ip::address& source, clock::time_point now = clock::now());
  std::size_t sources() const;

 private:
  struct bucket {
    double tokens;
    clock::time_point refilled_at;
  };
  double refilled(const bucket& b, clock::time_point now) const;

  double per_second_, burst_;
  std::size_t max_sources_;
  mutable std::mutex mutex_;
  std::unordered_map<boost::asio::ip::address, bucket, address_hash> buckets_;
};

}  // namespace lantern
