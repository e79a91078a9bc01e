#include "dc09_client.hpp"

#include "dc09/message.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace lantern::testing {

std::string dc09_message(const std::string& token, int seq, const std::string& account, const std::string& data,
                         const std::string& key, std::int64_t sent_at_ms, const std::string& receiver,
                         const std::string& line, const std::string& extended) {
  if (sent_at_ms == 0)
    sent_at_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
  return dc09::make_message({token, seq, receiver, line, account, data, extended}, key, sent_at_ms);
}

dc09_client::dc09_client(unsigned short port, transport how) {
  fd_ = ::socket(AF_INET, how == transport::tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0)
    throw std::runtime_error("cannot reach the DC-09 receiver on port " + std::to_string(port));
}

dc09_client::~dc09_client() {
  if (fd_ >= 0) ::close(fd_);
}

void dc09_client::send(const std::string& bytes) {
  if (::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(bytes.size()))
    throw std::runtime_error("send failed");
}

std::optional<std::string> dc09_client::reply(std::chrono::milliseconds wait) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    if (auto cr = buffer_.find('\r'); cr != std::string::npos) {
      auto whole = buffer_.substr(0, cr + 1);
      buffer_.erase(0, cr + 1);
      return whole;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
    char chunk[2048];
    auto got = ::recv(fd_, chunk, sizeof chunk, 0);
    if (got <= 0) return std::nullopt;
    buffer_.append(chunk, static_cast<std::size_t>(got));
  }
}

std::optional<dc09::parsed_frame> dc09_client::exchange(const std::string& bytes) {
  send(bytes);
  auto got = reply();
  if (!got) return std::nullopt;
  return dc09::parse_frame(*got);
}

bool dc09_client::closed_by_server(std::chrono::milliseconds wait) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char chunk[2048];
    if (::recv(fd_, chunk, sizeof chunk, 0) <= 0) return true;
  }
  return false;
}

}  // namespace lantern::testing
