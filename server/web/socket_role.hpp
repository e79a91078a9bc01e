#pragma once
// Who is at the other end of a /ws socket, and what they may do: an operator's console
// (console_role) or a carer's page (carer_role). The socket itself (websocket_session) only
// carries messages; it hands each command to its role, on its own executor.

#include "console.pb.h"
#include "web/console_fanout.hpp"
#include "web/http_routes.hpp"
#include "web/login_sessions.hpp"

#include <memory>
#include <string>

namespace lantern {

// What a role may do with its socket.
class socket_peer {
 public:
  virtual ~socket_peer() = default;
  virtual void send(std::shared_ptr<const std::string> message) = 0;
  virtual void send_error(const std::string& message) = 0;
  virtual void close_now() = 0;
  // The socket as the core's subscribers and the login sessions hold it.
  virtual std::weak_ptr<console_subscriber> as_subscriber() = 0;
  virtual std::weak_ptr<login_watcher> as_login_watcher() = 0;
  // A snapshot asked for or queued and not yet written: a resync waits for it.
  virtual bool snapshot_pending() const = 0;
  virtual void expect_snapshot() = 0;
};

class socket_role {
 public:
  virtual ~socket_role() = default;
  // Once the socket is open; false closes it.
  virtual bool opened(socket_peer& peer, const http_request& upgrade) = 0;
  virtual void received(socket_peer& peer, const lantern::console::v1::Command& request) = 0;
  // Whether a socket that falls too far behind may be caught up with a fresh snapshot in
  // place of the updates it missed (a console), rather than closed (a carer's page).
  virtual bool catches_up() const { return false; }
  // Asks for that snapshot.
  virtual void catch_up(socket_peer&) {}
  // Who is there, for the logs: a username, or "carer:<id>".
  virtual const std::string& name() const = 0;
};

// Answers `request` with `why`: as its result when it has a request id, else as an error.
void refuse(socket_peer& peer, const lantern::console::v1::Command& request, const std::string& why);

}  // namespace lantern
