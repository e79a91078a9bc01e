#include "web/carer_role.hpp"

#include "desk/escalation_chain.hpp"

namespace lantern {

carer_role::carer_role(web_context& context, carer_link_entry link)
    : context_(context), link_(std::move(link)), name_(carer_actor(link_.carer_id)) {}

bool carer_role::opened(socket_peer& peer, const http_request&) {
  context_.carers.subscribe(peer.as_subscriber(), link_);
  return true;
}

void carer_role::received(socket_peer& peer, const lantern::console::v1::Command& request) {
  if (request.type() != "reply") {
    refuse(peer, request, "a carer's page may only send {\"type\":\"reply\",\"reply\":\"going\",\"eta_min\":15}");
    return;
  }
  responder_step step;
  step.reply = request.reply();
  step.eta_min = request.eta_min();
  context_.carers.reply(peer.as_subscriber(), link_, request.request_id(), std::move(step), request.note());
}

}  // namespace lantern
