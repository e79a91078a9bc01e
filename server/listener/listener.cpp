#include "listener/listener.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sys/resource.h>

#include <cstdio>

namespace lantern {

std::size_t raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  // A privileged process may also lift the hard limit (often 20k or less, too few for a
  // fleet) up to the kernel's per-process ceiling; anyone may raise the soft one to the hard.
  rlim_t ceiling = 1u << 20;
  if (std::FILE* f = std::fopen("/proc/sys/fs/nr_open", "r")) {
    unsigned long long nr_open = 0;
    if (std::fscanf(f, "%llu", &nr_open) == 1 && nr_open > 0) ceiling = static_cast<rlim_t>(nr_open);
    std::fclose(f);
  }
  if (limit.rlim_max < ceiling) {
    rlimit lifted{ceiling, ceiling};
    if (setrlimit(RLIMIT_NOFILE, &lifted) == 0) return ceiling;
  }
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  getrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur;
}

listener::listener(net::any_io_executor io, const net::ip::tcp::endpoint& at, std::string name,
                   std::shared_ptr<spdlog::logger> log, on_accept accepted)
    : io_(io), acceptor_(io, at), name_(std::move(name)), log_(std::move(log)), accepted_(std::move(accepted)) {}

void listener::start() { net::co_spawn(acceptor_.get_executor(), accept_loop(), net::detached); }

void listener::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

net::awaitable<void> listener::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(net::make_strand(io_), net::as_tuple(net::use_awaitable));
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) {
      // Typically out of file descriptors: pause rather than spin.
      log_->warn("{} accept failed: {}", name_, ec.message());
      net::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(net::as_tuple(net::use_awaitable));
      continue;
    }
    accepted_(std::move(socket));
  }
}

}  // namespace lantern
