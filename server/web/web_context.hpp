#pragma once
// What every HTTP and WebSocket session of the console port shares.

#include "centre/centre.hpp"
#include "centre/device_health.hpp"
#include "core/desk_core.hpp"
#include "core/record_reader.hpp"
#include "core/unit_signals.hpp"
#include "escalation/carer_links.hpp"
#include "listener/waiting_room.hpp"
#include "metrics/metrics.hpp"
#include "web/carer_pages.hpp"
#include "web/console_fanout.hpp"
#include "web/console_files.hpp"
#include "web/login_sessions.hpp"
#include "web/login_throttle.hpp"

#include "listener/tls_context.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lantern {

struct web_context {
  const centre& records;  // live: read under records.lock (shared)
  login_sessions& logins;
  login_throttle& login_attempts;
  waiting_room& http_waiting;  // connections before (or between) their requests
  desk_core& core;             // commands, record changes, presence; the journal's health
  console_fanout& consoles;
  carer_pages& carers;  // carers' pages
  metrics& figures;
  carer_links& links;                   // the carer page links in force
  const console_files& files;           // the console's pages, read at start
  net::any_io_executor staff_executor;  // slow staff work off the I/O threads: carers' links, records, welfare list
  net::any_io_executor login_executor;  // password checks, on a pool of their own
  std::shared_ptr<spdlog::logger> log;
  std::size_t console_queue_limit = 4096;             // messages a console may fall behind by
  std::size_t console_queue_bytes = 8 * 1024 * 1024;  // and bytes (updates, a snapshot, answers)
  record_reader& reader;                              // records and the welfare list, as stored
  std::vector<std::string> allowed_hosts;             // lower case, without ports: see host_allowed
  // Supervision's view of a device: its last contact (fresher than the saved time), battery, check-in.
  std::function<device_health(const std::string& device_id)> device_health_of;
  unit_signals& signals;  // unallocated DC-09 accounts and key-change requests
  // Set once every thread has stopped, before the io_context goes: sessions still queued in it
  // are destroyed then, after the core and the console fan-out they would otherwise tell.
  bool stopped = false;
  // Set: HTTPS and WSS only (--tls-cert, --tls-key); the cookie is Secure and HSTS is sent.
  const tls_certificate* tls = nullptr;
};

}  // namespace lantern
