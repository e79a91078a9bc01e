#pragma once
// A console on the real HTTP port: logs in like the page does and reads /ws with Beast.

#include <boost/json/value.hpp>

#include <memory>
#include <optional>
#include <string>

namespace lantern::testing {

struct http_answer {
  int status;
  std::string body;
  std::string set_cookie;
  std::string retry_after;
  std::string headers;  // every header line, "Name: value\n"
};

http_answer http_request(unsigned short port, const std::string& method, const std::string& target,
                         const std::string& body = "", const std::string& cookie = "",
                         const std::string& content_type = "application/json", const std::string& from = "");

// Logs in and returns the session cookie ("lantern_session=..."); throws when refused.
std::string login(unsigned short port, const std::string& username, const std::string& password);

// The HTTP status the /ws upgrade gets (101 when it is accepted).
int websocket_upgrade_status(unsigned short port, const std::string& cookie, const std::string& origin = "",
                             const std::string& target = "/ws");

class console_client {
 public:
  // `receive_buffer`: a small socket buffer, for a client that is meant to fall behind.
  // `target`: "/ws?carer=<token>" for a carer's page.
  console_client(unsigned short port, const std::string& cookie, int receive_buffer = 0,
                 const std::string& target = "/ws");
  ~console_client();
  // The next JSON message (first those passed over by the waits below); nothing after 5 s
  // or when the server closed the socket.
  std::optional<boost::json::value> next();
  // Reads until an update whose case matches `predicate`, or nothing after 10 s.
  std::optional<boost::json::value> next_update_where(const std::function<bool(const boost::json::object&)>& predicate);
  // The first message matching `predicate`, or nothing after 10 s. Messages passed over
  // are kept, in order, for later calls.
  std::optional<boost::json::value> next_where(const std::function<bool(const boost::json::object&)>& predicate);
  // Sends a case command and waits for its result: "" when ok, else the error.
  std::string command(boost::json::object command);
  // The result of an earlier request: "" when ok, else the error; "(no result)" after 10 s.
  std::string result_of(const std::string& request_id);
  void send(const std::string& text);
  // Reads (and drops) what is left until the server closes the socket: true, or false
  // when 5 s pass with the socket still open.
  bool closed_by_server();

 private:
  std::optional<boost::json::value> read();
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace lantern::testing
