#include "web/socket_role.hpp"

#include "web/console_messages.hpp"

namespace lantern {

void refuse(socket_peer& peer, const lantern::console::v1::Command& request, const std::string& why) {
  if (request.request_id().empty())
    peer.send_error(why);
  else
    peer.send(std::make_shared<const std::string>(
        console_messages::result_json(request.request_id(), refusal{refusal_code::invalid, why})));
}

}  // namespace lantern
