#pragma once
// Connections that have not yet said who they are (a device before its hello, an HTTP
// connection before its request), counted per source address and in all. At a cap the
// *oldest* waiting connection is dropped, never the newest: idle connections held open by
// one peer cannot lock real devices or consoles out, and a live peer speaks at once.
//
// Thread-safe: connections enter from the acceptor and leave from their own strands.

#include "listener/address_hash.hpp"

#include <boost/asio/ip/address.hpp>

#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <unordered_map>

namespace lantern {

namespace net = boost::asio;

class waiting_room {
 public:
  struct limits {
    std::size_t total;
    std::size_t per_source;
  };
  // Ends a waiting connection (on its own strand); called outside the room's lock.
  using drop_fn = std::function<void()>;
  enum class made_way { nobody, same_source, anyone };

  explicit waiting_room(limits caps) : caps_(caps) {}

  // Seats connection `id`. At the source's cap the oldest from that source is dropped; at
  // the total cap, the oldest of all. Says whom it dropped, for the metrics.
  made_way enter(std::uint64_t id, const net::ip::address& source, drop_fn drop);
  // The connection said who it is, or ended; no-op when it already left (or was dropped).
  void leave(std::uint64_t id);

  std::size_t waiting() const;
  std::size_t waiting_from(const net::ip::address& source) const;
  // More than half full: new connections get a shorter first deadline.
  bool crowded() const { return waiting() * 2 > caps_.total; }

 private:
  struct seat {
    std::uint64_t id;
    net::ip::address source;
    drop_fn drop;
  };
  using seats = std::list<seat>;
  // Takes `it` out; returns its drop so the caller can run it after unlocking.
  drop_fn remove(seats::iterator it);

  limits caps_;
  mutable std::mutex mutex_;
  seats in_order_;  // oldest first
  std::unordered_map<std::uint64_t, seats::iterator> by_id_;
  std::unordered_map<net::ip::address, std::size_t, address_hash> per_source_;
};

}  // namespace lantern
