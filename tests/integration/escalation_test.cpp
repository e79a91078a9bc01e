// Escalation to carers against a real lantern-server, a real SMTP server (Debian's
// python3-aiosmtpd, writing a Maildir) and a real HTTP receiver standing in for an SMS
// gateway: the email arrives with a working carer link, the gateway gets the webhook again
// after a 500 with the same idempotency key, the carer page's going → arrived → done shows
// on the operator's console, and a kill -9 mid-escalation resumes the timer at the right
// moment without notifying anyone twice.
#include "console_client.hpp"
#include "device_client.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>
#include <sodium.h>
#include <boost/json.hpp>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace lantern::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* python = "/usr/bin/python3";  // Debian's, where python3-aiosmtpd lives
constexpr const char* webhook_secret = "test-webhook-secret";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string hmac_hex(const std::string& key, const std::string& body) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

bool timeline_has(const json::object& c, const std::string& text) {
  if (!c.contains("timeline")) return false;
  for (const auto& line : c.at("timeline").as_array())
    if (line.as_object().contains("text") &&
        std::string(line.as_object().at("text").as_string()).find(text) != std::string::npos)
      return true;
  return false;
}

std::string field(const json::object& o, const char* key) {
  return o.contains(key) ? std::string(o.at(key).as_string()) : std::string();
}

class Escalation : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(import_centre(db(), centre_file()).exit_code, 0);
    smtp_port_ = free_port();
    smtp_ = std::make_unique<child_process>(
        python,
        std::vector<std::string>{"-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(smtp_port_), "-c",
                                 "aiosmtpd.handlers.Mailbox", dir_.file("mail")},
        smtp_port_);
    webhook_port_ = free_port();
    webhook_ = std::make_unique<child_process>(
        python,
        std::vector<std::string>{std::string(LANTERN_SOURCE_DIR) + "/tests/integration/webhook_sink.py",
                                 std::to_string(webhook_port_), dir_.file("webhook.log"), "1"},
        webhook_port_);
    http_port_ = free_port();
    start_server();
  }

  void start_server() {
    auto port = std::to_string(http_port_);
    server_ = std::make_unique<server_process>(
        db(),
        std::vector<std::string>{"--http-port", port, "--public-url", "http://127.0.0.1:" + port, "--smtp-url",
                                 "smtp://127.0.0.1:" + std::to_string(smtp_port_), "--smtp-from", "centre@lantern.test",
                                 "--webhook-url", "http://127.0.0.1:" + std::to_string(webhook_port_) + "/sms",
                                 "--webhook-secret", webhook_secret, "--webhook-backoff-ms", "200"});
    device_ = std::make_unique<device_client>(server_->device_port());
    ASSERT_TRUE(device_->hello("dev-ann", "test-token-ann-0001").has_welcome());
  }

  static std::string centre_file() {
    return std::string(LANTERN_SOURCE_DIR) + "/tests/integration/escalation-centre.json";
  }
  std::string db() const { return dir_.file("lantern.db"); }

  std::unique_ptr<console_client> amira() {
    auto c = std::make_unique<console_client>(http_port_, login(http_port_, "amira", "lantern-test-amira"));
    auto snapshot = c->next();
    EXPECT_TRUE(snapshot && snapshot->as_object().contains("snapshot"));
    return c;
  }

  // Ann presses her pendant; Amira accepts and escalates. Returns the case id.
  std::string escalated_case(console_client& console) {
    EXPECT_TRUE(device_->alarm(++seq_, "pendant", "press").has_ack());
    auto update = console.next_update_where([](const json::object& c) { return field(c, "state") == "queued"; });
    EXPECT_TRUE(update);
    if (!update) return "";
    auto id = field(update->at("update").at("case").as_object(), "case_id");
    EXPECT_EQ(console.command({{"type", "accept"}, {"case_id", id}}), "");
    EXPECT_EQ(console.command({{"type", "escalate"}, {"case_id", id}, {"note", "Ann is not answering"}}), "");
    return id;
  }

  // The emails the SMTP server has received, oldest first; waits up to `wait` for `count`.
  std::vector<std::string> emails(std::size_t count, std::chrono::seconds wait = 15s) {
    auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
      std::vector<std::pair<std::filesystem::file_time_type, std::string>> found;
      std::error_code ec;
      for (const auto& entry : std::filesystem::directory_iterator(dir_.path() / "mail" / "new", ec))
        found.emplace_back(entry.last_write_time(), read_file(entry.path()));
      if (found.size() >= count || std::chrono::steady_clock::now() > deadline) {
        std::sort(found.begin(), found.end());
        std::vector<std::string> out;
        for (auto& [_, text] : found) out.push_back(std::move(text));
        return out;
      }
      std::this_thread::sleep_for(50ms);
    }
  }

  // The webhook requests the gateway has received, oldest first.
  std::vector<json::object> webhooks(std::size_t count) {
    auto deadline = std::chrono::steady_clock::now() + 15s;
    for (;;) {
      std::vector<json::object> out;
      std::istringstream lines(read_file(dir_.file("webhook.log")));
      for (std::string line; std::getline(lines, line);) out.push_back(json::parse(line).as_object());
      if (out.size() >= count || std::chrono::steady_clock::now() > deadline) return out;
      std::this_thread::sleep_for(50ms);
    }
  }

  static std::string link_in(const std::string& email) {
    static const std::regex link("http://127\\.0\\.0\\.1:\\d+/carer/([0-9a-f]+\\.[0-9a-f]+)");
    std::smatch match;
    return std::regex_search(email, match, link) ? match[0].str() : "";
  }
  static std::string token_of(const std::string& link) { return link.substr(link.rfind('/') + 1); }

  temp_dir dir_;
  unsigned short smtp_port_ = 0, webhook_port_ = 0, http_port_ = 0;
  std::unique_ptr<child_process> smtp_, webhook_;
  std::unique_ptr<server_process> server_;
  std::unique_ptr<device_client> device_;
  std::uint64_t seq_ = 0;
};

TEST_F(Escalation, TheFirstResponderGetsAnEmailAndAGatewayMessageWithAWorkingLink) {
  auto console = amira();
  ASSERT_FALSE(escalated_case(*console).empty());

  auto mail = emails(1);
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_NE(mail[0].find("X-RcptTo: sarah@example.org"), std::string::npos) << mail[0];
  EXPECT_NE(mail[0].find("Ann Ellis raised a pendant alarm at"), std::string::npos) << mail[0];
  auto link = link_in(mail[0]);
  ASSERT_FALSE(link.empty()) << mail[0];
  auto page = http_request(http_port_, "GET", link.substr(link.find("/carer/")));
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("carer.js"), std::string::npos);

  // The gateway answered the first try with a 500: tried again, with the same key.
  auto hooks = webhooks(2);
  ASSERT_EQ(hooks.size(), 2u);
  EXPECT_EQ(hooks[0].at("status").as_int64(), 500);
  EXPECT_EQ(hooks[1].at("status").as_int64(), 200);
  const auto& first = hooks[0].at("headers").as_object();
  const auto& second = hooks[1].at("headers").as_object();
  EXPECT_EQ(field(first, "Idempotency-Key"), field(second, "Idempotency-Key"));
  EXPECT_FALSE(field(first, "Idempotency-Key").empty());
  auto body = field(hooks[1], "body");
  EXPECT_EQ(field(second, "X-Lantern-Signature"), "sha256=" + hmac_hex(webhook_secret, body));
  auto message = json::parse(body).as_object();
  EXPECT_EQ(field(message, "phone"), "+447700900123");
  EXPECT_EQ(field(message, "link"), link);

  // Both deliveries are on the case timeline the operator sees.
  auto shown = console->next_update_where([](const json::object& c) {
    return timeline_has(c, "Email to Sarah Ellis (daughter): sent") &&
           timeline_has(c, "Message through the gateway to Sarah Ellis (daughter): sent");
  });
  EXPECT_TRUE(shown);
  auto figures = http_request(server_->metrics_port(), "GET", "/metrics").body;
  EXPECT_NE(figures.find("lantern_escalation_notifications_sent_total 2"), std::string::npos) << figures;
}

TEST_F(Escalation, TheCarerPageFlowShowsOnTheOperatorsConsole) {
  auto console = amira();
  auto id = escalated_case(*console);
  auto link = link_in(emails(1).at(0));
  auto token = token_of(link);
  // A wrong secret opens nothing.
  auto forged = token.substr(0, token.find('.') + 1) + std::string(48, 'a');
  EXPECT_EQ(websocket_upgrade_status(http_port_, "", "", "/ws?carer=" + forged), 403);

  console_client sarah(http_port_, "", 0, "/ws?carer=" + token);
  auto first = sarah.next();
  ASSERT_TRUE(first && first->as_object().contains("carer"));
  auto view = first->at("carer").as_object();
  EXPECT_EQ(field(view, "person_name"), "Ann Ellis");
  EXPECT_EQ(field(view, "medical_notes"), "Takes warfarin.");
  EXPECT_EQ(field(view, "communication"), "Speak slowly and clearly.");
  EXPECT_EQ(field(view, "address"), "") << "the address only once she is going";
  EXPECT_EQ(field(view, "access"), "");
  EXPECT_EQ(field(view, "person_phone"), "");
  EXPECT_TRUE(!view.contains("hazards") || view.at("hazards").as_array().empty()) << "hazards come with the address";
  // The carers' instructions and the operator's reason; never the operator's instructions.
  EXPECT_EQ(field(view, "instructions"), "Ring twice: she is slow to the door.");
  EXPECT_EQ(field(view, "escalation_reason"), "Ann is not answering");
  EXPECT_EQ(json::serialize(view).find("call 999"), std::string::npos);

  // The link answers for this attempt only: no operator commands.
  EXPECT_NE(sarah.command({{"type", "accept"}, {"case_id", id}}), "");
  EXPECT_EQ(sarah.command({{"type", "reply"}, {"reply", "going"}, {"eta_min", 15}}), "");
  auto going = sarah.next_where([](const json::object& m) {
    return m.contains("carer") && field(m.at("carer").as_object(), "my_state") == "going";
  });
  ASSERT_TRUE(going);
  EXPECT_EQ(field(going->at("carer").as_object(), "address"), "3 Elm Row, Leeds LS6 1AA");
  EXPECT_EQ(field(going->at("carer").as_object(), "access"), "Key safe by the back door, code 1357.");
  EXPECT_EQ(json::serialize(going->at("carer").at("hazards")), R"(["Dog in the kitchen"])");
  EXPECT_TRUE(console->next_update_where([](const json::object& c) {
    return c.contains("escalation") && field(c.at("escalation").as_object(), "status") == "responder_going" &&
           timeline_has(c, "Sarah Ellis (daughter) is going: there in about 15 min");
  }));

  EXPECT_EQ(sarah.command({{"type", "reply"}, {"reply", "arrived"}}), "");
  EXPECT_TRUE(console->next_update_where([](const json::object& c) {
    return c.contains("escalation") && field(c.at("escalation").as_object(), "status") == "responder_arrived";
  }));
  EXPECT_EQ(sarah.command({{"type", "reply"}, {"reply", "done"}}),
            "a note is needed: how is the person, what did you do?");
  EXPECT_EQ(sarah.command({{"type", "reply"}, {"reply", "done"}, {"note", "Ann is fine, helped her up"}}), "");
  auto done = console->next_update_where([](const json::object& c) {
    return field(c, "attention") == "Sarah Ellis (daughter) is done: resolve the case";
  });
  ASSERT_TRUE(done);
  EXPECT_TRUE(timeline_has(done->at("update").at("case").as_object(), "is done: Ann is fine, helped her up"));

  // Resolved: the page says so and stops offering anything.
  EXPECT_EQ(console->command(
                {{"type", "resolve"}, {"case_id", id}, {"outcome", "carer_attended"}, {"note", "Sarah attended"}}),
            "");
  auto closed = sarah.next_where([](const json::object& m) {
    return m.contains("carer") && m.at("carer").as_object().at("case_closed").as_bool();
  });
  EXPECT_TRUE(closed);
}

TEST_F(Escalation, AKill9MidEscalationResumesTheTimerWithoutNotifyingAnyoneTwice) {
  auto console = amira();
  auto escalated_at = std::chrono::steady_clock::now();
  ASSERT_FALSE(escalated_case(*console).empty());
  ASSERT_EQ(emails(1).size(), 1u);
  // Both results recorded before the crash: nothing of Sarah's is left to send.
  ASSERT_TRUE(console->next_update_where([](const json::object& c) {
    return timeline_has(c, "Email to Sarah Ellis (daughter): sent") &&
           timeline_has(c, "Message through the gateway to Sarah Ellis (daughter): sent");
  }));
  auto sarah_link = link_in(emails(1).at(0));
  console.reset();
  server_->kill_hard();
  start_server();

  // Sarah's link still opens her attempt after the restart.
  EXPECT_EQ(websocket_upgrade_status(http_port_, "", "", "/ws?carer=" + token_of(sarah_link)), 101);
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(emails(1, 0s).size(), 1u) << "Sarah was notified again after the restart";

  // Her 30 s ran on through the restart: Tom is asked when they are up, not 30 s after it.
  auto mail = emails(2, 40s);
  auto waited = std::chrono::steady_clock::now() - escalated_at;
  ASSERT_EQ(mail.size(), 2u);
  EXPECT_NE(mail[1].find("X-RcptTo: tom@example.org"), std::string::npos);
  EXPECT_GE(waited, 29s);
  EXPECT_LE(waited, 36s);
  auto again = emails(3, 3s);
  EXPECT_EQ(again.size(), 2u) << "someone was notified twice";
}

}  // namespace
}  // namespace lantern::testing
