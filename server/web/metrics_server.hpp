#pragma once
// /metrics on a listener of its own (--metrics-bind, loopback by default): the figures say
// how busy the centre is and how many devices are connected, which no page on the console
// port (nor a DNS-rebinding page in an operator's browser) needs to read.

#include "listener/listener.hpp"
#include "metrics/metrics.hpp"

namespace lantern {

class metrics_server {
 public:
  metrics_server(net::any_io_executor io, metrics& figures, const net::ip::tcp::endpoint& at,
                 std::shared_ptr<spdlog::logger> log);
  unsigned short port() const { return listener_.local_endpoint().port(); }
  void start() { listener_.start(); }
  void stop() { listener_.stop(); }

 private:
  metrics& figures_;
  listener listener_;
};

}  // namespace lantern
