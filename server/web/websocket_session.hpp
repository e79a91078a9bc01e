#pragma once
// One live console over /ws: receives the hub's snapshot and updates in order, and asks
// for a resync when the page sees a gap. A console that falls `console_queue_limit`
// messages behind is closed ("client too slow") and resyncs when it reconnects.

#include "web/http_routes.hpp"
#include "web/web_context.hpp"

#include <boost/beast/core/tcp_stream.hpp>

#include <string>

namespace lantern {

// A carer's page, opened by a carer link: it sees that one attempt and may only reply.
void start_carer_session(boost::beast::tcp_stream stream, web_context& context, carer_link_entry link,
                         http_request upgrade);

void start_websocket_session(boost::beast::tcp_stream stream, web_context& context, std::string username,
                             http_request upgrade);

}  // namespace lantern
