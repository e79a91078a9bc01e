#pragma once
// An operator's console over /ws: a snapshot and then every update (console_fanout),
// resyncs after a gap, presence, and case commands, answered once durable. Counted while
// open; when the operator's last console closes, they are offline.

#include "web/socket_role.hpp"
#include "web/web_context.hpp"

namespace lantern {

class console_role final : public socket_role {
 public:
  console_role(web_context& context, std::string username) : context_(context), username_(std::move(username)) {}
  ~console_role() override;

  bool opened(socket_peer& peer, const http_request& upgrade) override;
  void received(socket_peer& peer, const lantern::console::v1::Command& request) override;
  bool catches_up() const override { return true; }
  void catch_up(socket_peer& peer) override;
  const std::string& name() const override { return username_; }

 private:
  web_context& context_;
  std::string username_;
  bool counted_ = false;
};

}  // namespace lantern
