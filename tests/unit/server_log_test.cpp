// --log-format json: whatever a device or a browser sent, a log line stays valid JSON.
#include "server_log.hpp"

#include <gtest/gtest.h>

namespace lantern {
namespace {

TEST(JsonLog, QuotesControlBytesAndBrokenUtf8AreEscapedOrReplaced) {
  EXPECT_EQ(json_string_body("plain text, café ☕ 🚨"), "plain text, café ☕ 🚨");
  EXPECT_EQ(json_string_body("say \"hi\" \\ now\n\t\x01\x7f"), "say \\\"hi\\\" \\\\ now\\n\\u0009\\u0001\\u007f");
  // Not UTF-8: a lone continuation byte, a cut sequence, an overlong '/', a surrogate,
  // past U+10FFFF: each byte that starts no whole character becomes U+FFFD.
  EXPECT_EQ(json_string_body("a\x80z"), "a\\ufffdz");
  EXPECT_EQ(json_string_body("\xe2\x98"), "\\ufffd\\ufffd");
  EXPECT_EQ(json_string_body("\xc0\xaf"), "\\ufffd\\ufffd");
  EXPECT_EQ(json_string_body("\xed\xa0\x80"), "\\ufffd\\ufffd\\ufffd");
  EXPECT_EQ(json_string_body("\xf4\x90\x80\x80"), "\\ufffd\\ufffd\\ufffd\\ufffd");
  EXPECT_EQ(json_string_body(std::string_view("nul\0byte", 8)), "nul\\u0000byte");
}

}  // namespace
}  // namespace lantern
