#pragma once
// A carer's page over /ws, opened by a carer link: it sees that one attempt on that one
// case (carer_pages) and may only reply to it: going, can't, arrived, done.

#include "web/socket_role.hpp"
#include "web/web_context.hpp"

namespace lantern {

class carer_role final : public socket_role {
 public:
  carer_role(web_context& context, carer_link_entry link);

  bool opened(socket_peer& peer, const http_request& upgrade) override;
  void received(socket_peer& peer, const lantern::console::v1::Command& request) override;
  const std::string& name() const override { return name_; }

 private:
  web_context& context_;
  carer_link_entry link_;
  std::string name_;
};

}  // namespace lantern
