// lantern.toml and the flags: every setting has both, the file is read first and a flag
// wins; mistakes name the key and the rule and change nothing.
#include "option_table.hpp"
#include "server_options.hpp"
#include "settings_file.hpp"
#include "test_database.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace lantern {
namespace {

std::string write_file(const testing::temp_database& dir, const std::string& text) {
  auto path = (dir.folder() / "lantern.toml").string();
  std::ofstream(path) << text;
  return path;
}

std::variant<server_options, show_help, option_error> parse(std::vector<std::string> args) {
  args.insert(args.begin(), "lantern-server");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return parse_server_options(static_cast<int>(argv.size()), argv.data());
}

std::string error_of(const std::variant<server_options, show_help, option_error>& parsed) {
  auto* error = std::get_if<option_error>(&parsed);
  return error ? error->message : "(no error)";
}

// Applies a file's text to fresh options: the first error, or nothing.
std::optional<std::string> apply_text(const std::string& text, server_options& options) {
  auto read = parse_settings_text(text, "lantern.toml");
  if (auto* why = std::get_if<std::string>(&read)) return *why;
  for (const auto& [key, value] : std::get<std::vector<setting>>(read))
    if (auto why = apply_setting(options, key, value)) return "lantern.toml: " + *why;
  return std::nullopt;
}

TEST(Settings, TheFileSetsServerAndEscalationKeysAndAFlagWins) {
  testing::temp_database dir;
  auto path = write_file(dir, R"(
[server]
database = "/var/lib/lantern/lantern.db"
bind = "0.0.0.0"
device_port = 7701
threads = 3
log_format = "json"
[tls]
cert = "/etc/lantern/cert.pem"
key = "/etc/lantern/key.pem"
[metrics]
bind = "127.0.0.1:9465"
[desk]
reopen_window_min = 30
[supervision]
checkin_grace = 2.5
[limits]
device_rate = 100
[links]
public_url = "https://lantern.example.org"
[webhook]
tries = 4
)");
  auto parsed = parse({"--config", path, "--device-port", "7800", "--webhook-tries", "2"});
  ASSERT_TRUE(std::holds_alternative<server_options>(parsed)) << error_of(parsed);
  const auto& o = std::get<server_options>(parsed);
  EXPECT_EQ(o.db_path, "/var/lib/lantern/lantern.db");
  EXPECT_EQ(o.bind, "0.0.0.0");
  EXPECT_EQ(o.device_port, 7800);  // the flag, given after, wins over the file
  EXPECT_EQ(o.threads, 3u);
  EXPECT_EQ(o.log_format, "json");
  EXPECT_EQ(o.tls_cert, "/etc/lantern/cert.pem");
  EXPECT_EQ(o.metrics_port, 9465);
  EXPECT_EQ(o.desk.reopen_window_ms, 30 * 60'000);
  EXPECT_DOUBLE_EQ(o.supervision.grace_multiplier, 2.5);
  EXPECT_DOUBLE_EQ(o.admission.events_per_second, 100);
  EXPECT_DOUBLE_EQ(o.admission.event_burst, 200);
  EXPECT_EQ(o.escalation.public_url, "https://lantern.example.org");
  EXPECT_EQ(o.escalation.webhook_tries, 2);

  // A flag before --config wins too: the file is always read first.
  auto before = parse({"--device-port", "7900", "--config", path});
  ASSERT_TRUE(std::holds_alternative<server_options>(before)) << error_of(before);
  EXPECT_EQ(std::get<server_options>(before).device_port, 7900);
}

// Every flag in --help is a key of the file and the other way round: the table is one.
TEST(Settings, EveryFlagInTheHelpIsAlsoAKey) {
  auto help = server_usage();
  for (const char* flag : {"--db", "--bind", "--threads", "--log-format", "--tls-cert", "--metrics-bind",
                           "--checkin-grace", "--device-rate", "--dc09-rate", "--smtp-url", "--webhook-tries"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
    EXPECT_TRUE(is_setting_flag(flag)) << flag;
  }
  for (const char* action : {"--backup-to", "--restore-from", "--import", "--verify-audit"}) {
    EXPECT_NE(help.find(action), std::string::npos) << action;
    EXPECT_FALSE(is_setting_flag(action)) << action << " is an action, not a setting of the file";
  }
  server_options o;
  EXPECT_EQ(apply_setting(o, "server.import", "x"), "unknown setting 'server.import'");
}

TEST(Settings, MistakesNameTheKeyAndTheRuleAndChangeNothing) {
  testing::temp_database dir;
  server_options o;
  EXPECT_EQ(apply_text("[email]\nsmtp_host = \"x\"\n", o), "lantern.toml: unknown setting 'email.smtp_host'");
  EXPECT_EQ(apply_text("[webhook]\ntries = 0\n", o),
            "lantern.toml: webhook.tries: must be a whole number from 1 to 10");
  EXPECT_EQ(apply_text("[webhook]\nurl = \"ftp://x\"\n", o),
            "lantern.toml: webhook.url: must start with http:// or https://");
  EXPECT_EQ(apply_text("[server]\ndevice_port = 70000\n", o),
            "lantern.toml: server.device_port: must be a whole number from 0 to 65535");
  EXPECT_EQ(apply_text("[server]\nbind = \"localhost; rm\"\n", o),
            "lantern.toml: server.bind: must be an IP address, e.g. 127.0.0.1 or 0.0.0.0");
  EXPECT_EQ(apply_text("[server]\nlog_format = \"xml\"\n", o),
            "lantern.toml: server.log_format: must be one of text, json");
  EXPECT_EQ(apply_text("[supervision]\ncheckin_grace = 0.5\n", o),
            "lantern.toml: supervision.checkin_grace: must be a number from 1 to 10");
  EXPECT_EQ(apply_text("[server]\nthreads = true\n", o), "lantern.toml: server.threads must be a string or a number");
  EXPECT_EQ(apply_text("database = \"x\"\n", o), "lantern.toml: 'database' must be a table such as [server]");
  auto broken = apply_text("[email\n", o);
  ASSERT_TRUE(broken.has_value());
  EXPECT_NE(broken->find("lantern.toml:1:"), std::string::npos) << *broken;
  server_options untouched;
  EXPECT_EQ(o.escalation.webhook_tries, untouched.escalation.webhook_tries);
  EXPECT_EQ(o.device_port, untouched.device_port);

  // Through the command line: the file's name and the key.
  auto path = write_file(dir, "[limits]\njournal_batch = 0\n");
  EXPECT_EQ(error_of(parse({"--config", path})),
            "--config " + path + ": limits.journal_batch: must be a whole number from 1 to 65536");
  EXPECT_EQ(error_of(parse({"--config", "/nonexistent/lantern.toml"})),
            "--config /nonexistent/lantern.toml: cannot be read");
  EXPECT_EQ(error_of(parse({"--threads", "0"})), "--threads 0: server.threads: must be a whole number from 1 to 256");
  EXPECT_EQ(error_of(parse({"--backup-to", "a.db", "--verify-audit"})),
            "one action at a time: --import, --verify-audit, --backup-to or --restore-from");
}

// The example file a centre copies documents every setting, and each key it shows (its
// commented lines too) is a real one with a valid value.
TEST(Settings, TheExampleFileShowsEverySettingAndAllOfItApplies) {
  std::ifstream in(std::string(LANTERN_SOURCE_DIR) + "/deploy/lantern.example.toml");
  std::stringstream example;
  example << in.rdbuf();
  std::string uncommented;
  std::regex setting_line(R"(^# (\[[a-z]+\]|[a-z_0-9]+ = .*)$)");
  for (std::string line; std::getline(example, line);) {
    std::smatch m;
    uncommented += (std::regex_match(line, m, setting_line) ? m[1].str() : line) + "\n";
  }
  server_options o;
  EXPECT_EQ(apply_text(uncommented, o), std::nullopt);
  EXPECT_EQ(o.dc09_port, 7701);  // a commented key was applied
  std::stringstream help(settings_help());
  int flags = 0;
  for (std::string line; std::getline(help, line);)
    if (line.starts_with("  --")) {
      auto flag = line.substr(2, line.find(' ', 2) - 2);
      ++flags;
      EXPECT_NE(uncommented.find("# " + flag), std::string::npos) << flag << " is not in the example file";
    }
  EXPECT_GT(flags, 35);
}

// Found by config_fuzz: a float where a whole number belongs was converted inside toml++
// before its kind was checked, undefined for one out of range. Now it goes on as text and
// the whole-number rule refuses it, under UBSan too.
TEST(Settings, AFloatWhereAWholeNumberBelongsIsRefusedInWords) {
  for (const char* text : {"[webhook]\ntries = 1e300\n", "[webhook]\ntries = -1e300\n", "[webhook]\ntries = nan\n",
                           "[webhook]\ntries = 2.0\n", "[server]\nthreads = 1e19\n"}) {
    server_options o;
    auto why = apply_text(text, o);
    ASSERT_TRUE(why.has_value()) << text;
    EXPECT_NE(why->find("must be a whole number"), std::string::npos) << *why;
    EXPECT_EQ(o.escalation.webhook_tries, 3);
  }
}

}  // namespace
}  // namespace lantern
