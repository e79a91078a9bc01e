#include "device/device_gateway.hpp"

#include "device/device_session.hpp"

namespace lantern {

device_gateway::device_gateway(net::any_io_executor io, gateway_context& context, const net::ip::tcp::endpoint& at)
    : context_(context), listener_(io, at, "device", context_.log, [this](net::ip::tcp::socket socket) {
        // Refused before any work: closing at once is the cheapest answer under a storm.
        const char* full = nullptr;
        if (context_.connections.load() >= context_.limits.max_connections)
          full = "connections";
        else if (context_.handshakes.load() >= context_.limits.max_handshakes)
          full = "handshakes";
        if (full != nullptr) {
          context_.figures.admission_refused(full).Increment();
          boost::system::error_code ignored;
          socket.close(ignored);
          return;
        }
        std::make_shared<device_session>(std::move(socket), context_, ++next_session_id_)->start();
      }) {}

}  // namespace lantern
