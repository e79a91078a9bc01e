#pragma once
// Slow work (an Argon2id check, a read-only query) run on a worker pool, awaited from a
// coroutine on an I/O thread.
//
// Not co_spawn: its completion is queued on the pool behind every job already waiting, so
// under a login storm each hello would wait for the whole queue to drain before its answer.
// Here the caller resumes on its own executor as soon as its own job is done.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <type_traits>
#include <utility>

namespace lantern {

namespace net = boost::asio;

// Runs `work` on `pool`; the result (or the exception it threw) comes back to the caller.
// The result type must be default-constructible.
//
// Deliberately not a coroutine, and callers pass a named job, not a temporary: GCC 12
// destroys a temporary passed by value to a coroutine twice (a double free, seen here).
template <typename Work>
net::awaitable<std::invoke_result_t<Work&>> off_thread(net::any_io_executor pool, Work work) {
  using result_type = std::invoke_result_t<Work&>;
  auto initiate = [pool](auto handler, Work job) {
    // Keeps the caller's io_context running until the answer is delivered.
    auto caller = net::prefer(net::get_associated_executor(handler), net::execution::outstanding_work.tracked);
    net::post(pool, [handler = std::move(handler), job = std::move(job), caller]() mutable {
      std::exception_ptr error;
      result_type value{};
      try {
        value = job();
      } catch (...) {
        error = std::current_exception();
      }
      net::post(caller, [handler = std::move(handler), error, value = std::move(value)]() mutable {
        std::move(handler)(error, std::move(value));
      });
    });
  };
  return net::async_initiate<const net::use_awaitable_t<>&, void(std::exception_ptr, result_type)>(
      initiate, net::use_awaitable, std::move(work));
}

}  // namespace lantern
