#include "device/device_gateway.hpp"

#include "device/device_session.hpp"

namespace lantern {

device_gateway::device_gateway(net::any_io_executor io, gateway_context& context, const net::ip::tcp::endpoint& at)
    : context_(context), landed_(io), listener_(io, at, "device", context_.log, [this](net::ip::tcp::socket socket) {
        // Refused before any work: closing at once is the cheapest answer under a storm.
        const char* full = nullptr;
        if (context_.connections.load() >= context_.limits.max_connections)
          full = "connections";
        else if (context_.verifying.load() >= context_.limits.max_handshakes)
          full = "handshakes";  // the token checks are that far behind
        boost::system::error_code ec;
        auto source = socket.remote_endpoint(ec).address();
        if (full != nullptr || ec) {
          if (full != nullptr) context_.figures.admission_refused(full).Increment();
          socket.close(ec);
          return;
        }
        // The certificate in force now; OpenSSL's count keeps it for the session past a reload.
        auto certificate = context_.tls ? context_.tls->current() : nullptr;
        auto session =
            std::make_shared<device_session>(std::move(socket), context_, ++next_session_id_, certificate.get());
        auto made_way = context_.before_hello.enter(session->id(), source, [weak = std::weak_ptr(session)] {
          if (auto dropped = weak.lock()) dropped->drop_before_hello();
        });
        if (made_way == waiting_room::made_way::same_source)
          context_.figures.admission_refused("handshakes_per_source").Increment();
        else if (made_way == waiting_room::made_way::anyone)
          context_.figures.admission_refused("handshakes").Increment();
        session->start();
      }) {
  context_.landed = &landed_;
  context_.store.after_each_commit([this] { landed_.hand_over(); });
}

}  // namespace lantern
