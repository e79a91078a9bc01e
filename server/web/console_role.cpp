#include "web/console_role.hpp"

#include "web/console_command.hpp"
#include "web/console_lookups.hpp"
#include "web/console_messages.hpp"

namespace lantern {
namespace {

// The case command in `request`, or nothing after answering why it is not one.
std::optional<case_command> to_case_command(socket_peer& peer, const lantern::console::v1::Command& request) {
  auto command = case_command_from(request);
  if (auto* why = std::get_if<std::string>(&command)) {
    refuse(peer, request, *why);
    return std::nullopt;
  }
  return std::get<case_command>(std::move(command));
}

}  // namespace

console_role::~console_role() {
  if (!counted_ || context_.stopped) return;
  context_.figures.consoles_connected.Decrement();
  context_.consoles.unsubscribe(username_);
}

bool console_role::opened(socket_peer& peer, const http_request& upgrade) {
  if (!context_.logins.watch(login_token(upgrade), peer.as_login_watcher()))
    return false;  // logged out between the upgrade and now
  counted_ = true;
  peer.expect_snapshot();  // the subscription's first message
  context_.figures.consoles_connected.Increment();
  context_.consoles.subscribe(peer.as_subscriber(), username_);
  return true;
}

void console_role::catch_up(socket_peer& peer) {
  peer.expect_snapshot();
  context_.consoles.resync(peer.as_subscriber(), username_);
}

void console_role::received(socket_peer& peer, const lantern::console::v1::Command& request) {
  if (request.type() == "resync") {
    // The snapshot on its way is as fresh as another would be, and updates follow it.
    if (peer.snapshot_pending()) return;
    peer.expect_snapshot();
    context_.consoles.resync(peer.as_subscriber(), username_);
  } else if (request.type() == "presence") {
    if (auto state = parse_chosen_presence(request.presence()))
      context_.core.set_presence(username_, *state);
    else
      peer.send_error("presence must be ready, on_call or on_break, not '" + request.presence() + "'");
  } else if (request.type() == "find_person") {
    console_lookups::find_person(context_.records, context_.staff_executor, peer.as_subscriber(), request.request_id(),
                                 request.query());
  } else if (request.type() == "open_person") {
    console_lookups::open_person(context_.core, peer.as_subscriber(), username_, request.request_id(),
                                 request.person_id());
  } else if (request.type() == "open_case") {
    console_lookups::open_case(context_.core, peer.as_subscriber(), username_, request.request_id(),
                               request.person_id(), request.alarm_type(), request.note());
  } else if (request.type() == "device_status") {
    console_lookups::device_status(context_.records, context_.device_health_of, peer.as_subscriber(),
                                   request.request_id(), request.device_id());
  } else if (auto command = to_case_command(peer, request)) {
    context_.consoles.command(peer.as_subscriber(), username_, request.request_id(), std::move(*command));
  }
}

}  // namespace lantern
