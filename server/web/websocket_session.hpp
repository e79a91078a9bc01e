#pragma once
// A /ws socket: carries the core's messages out in order, batched into frames, and hands
// each command in to its role (console_role for an operator, carer_role for a carer's
// page). A console reads the case updates from the shared update log, each frame taking all
// that was logged since the last; a console that falls `console_queue_limit` updates or
// `console_queue_bytes` behind in it skips them for a fresh snapshot. A socket whose own
// queue (answers, snapshots) overflows, or a console not reading at all, is closed ("client
// too slow"). One that sends commands faster than a person could is closed too.

#include "web/http_routes.hpp"
#include "web/tls_stream.hpp"
#include "web/web_context.hpp"

#include <boost/beast/core/tcp_stream.hpp>

#include <string>

namespace lantern {

// A carer's page, opened by a carer link: it sees that one attempt and may only reply.
void start_carer_session(boost::beast::tcp_stream stream, web_context& context, carer_link_entry link,
                         http_request upgrade);
void start_carer_session(tls_stream stream, web_context& context, carer_link_entry link, http_request upgrade);

void start_websocket_session(boost::beast::tcp_stream stream, web_context& context, std::string username,
                             http_request upgrade);
void start_websocket_session(tls_stream stream, web_context& context, std::string username, http_request upgrade);

}  // namespace lantern
