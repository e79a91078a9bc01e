// What an operator reads when a notification cannot go out: a sentence, never libcurl's own
// words (those go to the log). Against a real loopback port with nothing listening.
#include "escalation/channels.hpp"

#include <gtest/gtest.h>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>

namespace lantern {
namespace {

// A loopback port that was free a moment ago, so nothing answers on it.
unsigned short closed_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return probe.local_endpoint().port();
}

notification for_sarah() {
  notification n;
  n.case_id = 7;
  n.attempt = 1;
  n.to.id = "sarah";
  n.to.name = "Sarah Jones";
  n.to.email = "sarah@example.org";
  n.to.phone = "+447700900001";
  n.person_name = "Ann Jones";
  n.alarm_label = "fall";
  return n;
}

TEST(Channels, AMailServerThatCannotBeReachedIsSaidInWords) {
  escalation_config config;
  config.smtp_url = "smtp://127.0.0.1:" + std::to_string(closed_port());
  auto outcome = send_email(config, for_sarah(), "http://127.0.0.1/carer/x");
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.detail, "the mail server could not be reached");
  EXPECT_FALSE(outcome.raw.empty()) << "the library's words are kept for the log";
}

TEST(Channels, AGatewayThatCannotBeReachedIsSaidInWordsWithHowOftenItWasTried) {
  escalation_config config;
  config.webhook_url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/send";
  config.webhook_tries = 2;
  config.retry_backoff_ms = 10;
  std::atomic<bool> stopping{false};
  auto outcome = post_webhook(config, for_sarah(), "http://127.0.0.1/carer/x", "key-1", stopping);
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.detail, "the message gateway could not be reached, 2 times");
  EXPECT_NE(outcome.detail.find("gateway"), std::string::npos);
}

}  // namespace
}  // namespace lantern
