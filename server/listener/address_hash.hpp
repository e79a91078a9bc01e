#pragma once
// A hash of an IP address, for maps keyed by where a peer connects from.

#include <boost/asio/ip/address.hpp>

#include <cstddef>

namespace lantern {

struct address_hash {
  std::size_t operator()(const boost::asio::ip::address& a) const;
};

}  // namespace lantern
