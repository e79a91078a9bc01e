#include "device/device_gateway.hpp"

#include "device/device_session.hpp"

namespace lantern {

device_gateway::device_gateway(net::any_io_executor io, gateway_context& context, const net::ip::tcp::endpoint& at)
    : context_(context), listener_(io, at, "device", context_.log, [this](net::ip::tcp::socket socket) {
        std::make_shared<device_session>(std::move(socket), context_, ++next_session_id_)->start();
      }) {}

}  // namespace lantern
