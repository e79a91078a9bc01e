#pragma once
// An alarm unit speaking SIA DC-09 to the real receiver, over TCP or UDP, for the tests:
// frames built from the grammar (clear or encrypted), replies read whole and parsed.

#include "dc09/frame.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace lantern::testing {

// A DC-09 message from `account`: `"<token>"<seq>[R<receiver>]L<line>#<account>[<data>]<x-data>_<time>`,
// encrypted with `key` (AES key bytes) when given. `sent_at_ms`: the unit's clock.
std::string dc09_message(const std::string& token, int seq, const std::string& account, const std::string& data,
                         const std::string& key = "", std::int64_t sent_at_ms = 0, const std::string& receiver = "",
                         const std::string& line = "0", const std::string& extended = "");

class dc09_client {
 public:
  enum class transport { tcp, udp };
  dc09_client(unsigned short port, transport how);
  ~dc09_client();
  dc09_client(const dc09_client&) = delete;
  void send(const std::string& bytes);
  // The next whole reply (<LF> to <CR>), or nothing after `wait`.
  std::optional<std::string> reply(std::chrono::milliseconds wait = std::chrono::seconds(5));
  // Sends and waits for the reply, parsed (a reply's token is not a message token, so it
  // reads as unknown_token, with every field filled in).
  std::optional<dc09::parsed_frame> exchange(const std::string& bytes);
  // Whether the server closed the connection within `wait`.
  bool closed_by_server(std::chrono::milliseconds wait);

 private:
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace lantern::testing
