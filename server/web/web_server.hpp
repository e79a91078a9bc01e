#pragma once
// The console port: HTTP (login, API, static console files, /metrics, /healthz) and the
// /ws WebSocket, on one listener.

#include "listener/listener.hpp"
#include "web/web_context.hpp"

namespace lantern {

class web_server {
 public:
  // `context` must outlive the io_context: sessions it destroys still read it.
  web_server(net::any_io_executor io, web_context& context, const net::ip::tcp::endpoint& at);
  unsigned short port() const { return listener_.local_endpoint().port(); }
  void start() { listener_.start(); }
  void stop() { listener_.stop(); }

 private:
  web_context& context_;
  listener listener_;
};

}  // namespace lantern
