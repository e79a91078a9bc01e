// Running Lantern as a service: a backup taken while it serves under load, restored after a
// stop; its logs as JSON for a collector; its readiness told to systemd.
#include "console_client.hpp"
#include "server_process.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace lantern::testing {
namespace {

namespace json = boost::json;

std::set<std::pair<std::string, std::int64_t>> stored_alarms(const std::string& db) {
  SQLite::Database database(db, SQLite::OPEN_READONLY);
  std::set<std::pair<std::string, std::int64_t>> stored;
  SQLite::Statement rows(database, "SELECT device_id, device_seq FROM events WHERE kind = 'alarm'");
  while (rows.executeStep()) stored.insert({rows.getColumn(0).getString(), rows.getColumn(1).getInt64()});
  return stored;
}

std::string integrity(const std::string& db) {
  SQLite::Database database(db, SQLite::OPEN_READONLY);
  return database.execAndGet("PRAGMA integrity_check").getString();
}

run_result lantern(std::vector<std::string> args) { return run_program(LANTERN_SERVER, std::move(args)); }

// The whole drill from the runbook: a backup under load, a stop, a restore, a start.
TEST(Backup, TakenUnderLoadHoldsEveryAlarmAckedBeforeItBeganAndIsRestoredAfterAStop) {
  temp_dir dir;
  auto db = sim_fleet_database(dir, 50);
  auto server = std::make_unique<server_process>(db);
  sim_load load(dir, server->device_port(), 5, 1500);
  // Until the load is well under way (the devices' logins take longer on a busy machine).
  auto acked_before = load.acked_so_far();
  for (int i = 0; i < 40 && acked_before.size() <= 500; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    acked_before = load.acked_so_far();
  }
  auto backup = dir.file("backup.db");
  auto taken = lantern({"--backup-to", backup, "--db", db});
  ASSERT_EQ(taken.exit_code, 0) << taken.output;
  EXPECT_NE(taken.output.find("backup written to " + backup), std::string::npos) << taken.output;
  EXPECT_NE(taken.output.find("integrity ok"), std::string::npos) << taken.output;

  // While the server serves, a restore is refused and changes nothing.
  auto refused = lantern({"--restore-from", backup, "--db", db});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.output.find("not restored, nothing changed"), std::string::npos) << refused.output;

  auto [sim_exit, report] = load.wait();
  EXPECT_EQ(sim_exit, 0) << "the backup held up acks until the sim gave up:\n" << report;
  ASSERT_EQ(server->stop(), 0);
  ASSERT_GT(acked_before.size(), 500u) << "the load was too light to mean anything:\n" << report;

  auto served = stored_alarms(db);
  auto in_backup = stored_alarms(backup);
  EXPECT_LT(in_backup.size(), served.size()) << "the load went on after the backup";
  for (const auto& alarm : acked_before)
    ASSERT_TRUE(in_backup.contains(alarm))
        << alarm.first << " seq " << alarm.second << " was acked before the backup began but is not in it";

  auto restored = lantern({"--restore-from", backup, "--db", db});
  ASSERT_EQ(restored.exit_code, 0) << restored.output;
  EXPECT_EQ(stored_alarms(db), in_backup);
  EXPECT_EQ(integrity(db), "ok");
  auto audit = lantern({"--verify-audit", "--db", db});
  EXPECT_EQ(audit.exit_code, 0) << audit.output;
  // The database it replaced is kept whole beside it: a mistaken restore loses nothing.
  auto kept_at = restored.output.find("is kept as ");
  ASSERT_NE(kept_at, std::string::npos) << restored.output;
  auto kept = restored.output.substr(kept_at + 11);
  kept = kept.substr(0, kept.find('\n'));
  EXPECT_EQ(stored_alarms(kept), served);

  // The restored database serves, and takes alarms again.
  server = std::make_unique<server_process>(db);
  sim_load after(dir, server->device_port(), 1, 100);
  EXPECT_EQ(after.wait().exit_code, 0);
  EXPECT_EQ(server->stop(), 0);
  EXPECT_GT(stored_alarms(db).size(), in_backup.size());
}

TEST(Backup, BadRequestsAreRefusedInWordsAndChangeNothing) {
  temp_dir dir;
  auto db = demo_database(dir);
  auto before = stored_alarms(db);
  {
    std::ofstream(dir.file("taken.db")) << "an older backup";
    auto over = lantern({"--backup-to", dir.file("taken.db"), "--db", db});
    EXPECT_EQ(over.exit_code, 1);
    EXPECT_NE(over.output.find("exists already: a backup never overwrites a file"), std::string::npos) << over.output;
    std::ifstream kept(dir.file("taken.db"));
    EXPECT_EQ(std::string((std::istreambuf_iterator<char>(kept)), {}), "an older backup");
  }
  auto none = lantern({"--backup-to", dir.file("b.db"), "--db", dir.file("missing.db")});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.output.find("no database at"), std::string::npos) << none.output;
  EXPECT_FALSE(std::filesystem::exists(dir.file("b.db")));
  auto itself = lantern({"--backup-to", db, "--db", db});
  EXPECT_EQ(itself.exit_code, 1) << itself.output;

  // Not a database, a damaged copy, or no file: refused before the database is touched.
  std::ofstream(dir.file("notes.txt")) << "not a database at all";
  auto good = lantern({"--backup-to", dir.file("good.db"), "--db", db});
  ASSERT_EQ(good.exit_code, 0) << good.output;
  std::filesystem::copy_file(dir.file("good.db"), dir.file("damaged.db"));
  {
    std::fstream damage(dir.file("damaged.db"), std::ios::in | std::ios::out | std::ios::binary);
    damage.seekp(static_cast<std::streamoff>(std::filesystem::file_size(dir.file("damaged.db")) / 2));
    std::string junk(8192, '\x5a');
    damage.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  for (const auto& bad : {dir.file("notes.txt"), dir.file("damaged.db"), dir.file("nothing.db")}) {
    auto refused = lantern({"--restore-from", bad, "--db", db});
    EXPECT_EQ(refused.exit_code, 1) << bad << ": " << refused.output;
    EXPECT_NE(refused.output.find("not restored, nothing changed"), std::string::npos) << refused.output;
  }
  EXPECT_EQ(stored_alarms(db), before);
  EXPECT_EQ(integrity(db), "ok");
  std::size_t left = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    left += entry.path().string().find("before-restore") != std::string::npos;
  EXPECT_EQ(left, 0u) << "a refused restore kept no copy (it never began)";
}

TEST(Logs, JsonFormatIsOneObjectALineWithStableFields) {
  temp_dir dir;
  auto db = demo_database(dir);
  server_process server(db, {"--log-format", "json"});
  // A refused login logs the name sent, quotes, a newline and control bytes included: the
  // line stays one JSON object and the name comes back exactly.
  std::string hostile = "a\"b\\c\n{\"level\":\"error\"}\x01";
  auto refused = http_request(server.http_port(), "POST", "/api/v1/login",
                              json::serialize(json::object{{"username", hostile}, {"password", "wrong"}}));
  EXPECT_EQ(refused.status, 401);
  EXPECT_TRUE(server.said("refused login"));
  EXPECT_EQ(server.stop(), 0);
  bool hostile_logged = false;
  std::istringstream lines(server.output());
  int objects = 0;
  bool listening = false, stopped = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    boost::system::error_code ec;
    auto value = json::parse(line, ec);
    ASSERT_FALSE(ec) << "not JSON: " << line;
    const auto& o = value.as_object();
    for (const char* field : {"time", "level", "logger", "message"})
      ASSERT_TRUE(o.contains(field) && o.at(field).is_string()) << field << " missing: " << line;
    EXPECT_EQ(o.at("time").as_string().back(), 'Z') << line;
    std::string message(o.at("message").as_string());
    listening = listening || message.starts_with("listening device_port=");
    hostile_logged = hostile_logged || message.find("refused login for '" + hostile + "'") == 0;
    stopped = stopped || message == "stopped";
    ++objects;
  }
  EXPECT_GT(objects, 3);
  EXPECT_TRUE(listening && stopped) << server.output();
  EXPECT_TRUE(hostile_logged) << server.output();
}

// `top -H` and `perf` on a live server say which of its threads takes the CPU: the desk, the
// journal's writer and its checkpointer, the I/O threads past the first, the password
// checks (devices', and staff logins') and the staff's slow requests, each by name. Only the
// main thread keeps the process's name, for `ps` and `pgrep`.
TEST(Service, EachOfTheServersThreadsSaysWhatItDoesByName) {
  temp_dir dir;
  auto db = demo_database(dir);
  server_process server(db, {"--threads", "2"});
  auto thread_names = [&] {
    std::multiset<std::string> names;
    for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(server.pid()) + "/task")) {
      std::ifstream comm(task.path() / "comm");
      std::string name;
      std::getline(comm, name);
      names.insert(name);
    }
    return names;
  };
  // The I/O threads past the first and the desk's start (and name themselves) around the
  // "listening" line: read again for a while (slow under the sanitizers), never for ever.
  auto names = thread_names();
  for (int tries = 0; tries < 100 && (names.count("io") == 0 || names.count("desk") == 0); ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    names = thread_names();
  }
  for (const char* name : {"io", "desk", "journal", "checkpointer", "lantern-server"})
    EXPECT_EQ(names.count(name), 1u) << name;
  EXPECT_EQ(names.count("verify"), std::max(1u, std::thread::hardware_concurrency()));
  EXPECT_EQ(names.count("staff-work"), 2u);
  EXPECT_EQ(names.count("login"), 2u);
  EXPECT_EQ(server.stop(), 0);
}

// systemd's Type=notify: READY=1 only once the ports listen, STOPPING=1 on SIGTERM.
TEST(Service, ReadinessAndStoppingAreToldToSystemd) {
  temp_dir dir;
  auto db = demo_database(dir);
  auto socket_path = dir.file("notify.sock");
  int listener = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", socket_path.c_str());
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  timeval wait_at_most{10, 0};
  setsockopt(listener, SOL_SOCKET, SO_RCVTIMEO, &wait_at_most, sizeof wait_at_most);
  auto next_message = [&] {
    char buffer[512];
    auto n = recv(listener, buffer, sizeof buffer, 0);
    return n > 0 ? std::string(buffer, std::size_t(n)) : std::string();
  };

  setenv("NOTIFY_SOCKET", socket_path.c_str(), 1);
  server_process server(db);
  unsetenv("NOTIFY_SOCKET");
  auto ready = next_message();
  EXPECT_NE(ready.find("READY=1"), std::string::npos) << ready;
  EXPECT_NE(ready.find("device port " + std::to_string(server.device_port())), std::string::npos) << ready;
  EXPECT_TRUE(server.said("listening device_port=")) << "ready only once the ports are logged as listening";
  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(next_message(), "STOPPING=1");
  close(listener);
}

std::string read_source_file(const std::string& path) {
  std::ifstream in(std::string(LANTERN_SOURCE_DIR) + "/" + path);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

// The alerting rules and the dashboard name metrics (and label values) by text: a renamed
// metric must fail here, not leave a panel empty and an alert silent on the night it matters.
TEST(Monitoring, EveryMetricTheRulesAndTheDashboardUseIsServed) {
  temp_dir dir;
  server_process server(demo_database(dir));
  auto scrape = http_request(server.metrics_port(), "GET", "/metrics");
  ASSERT_EQ(scrape.status, 200);
  EXPECT_EQ(server.stop(), 0);

  std::size_t names = 0, label_values = 0;
  for (const char* file : {"deploy/prometheus/lantern-rules.yml", "deploy/grafana/lantern-dashboard.json"}) {
    // Grafana's JSON escapes the quotes inside a query.
    auto text = std::regex_replace(read_source_file(file), std::regex(R"(\\")"), "\"");
    ASSERT_FALSE(text.empty()) << file;
    std::regex name(R"(\b((lantern|process)_[a-z0-9_]+)\b)");
    for (std::sregex_iterator m(text.begin(), text.end(), name), end; m != end; ++m) {
      auto metric = (*m)[1].str();
      // Histograms are served as _bucket, _sum and _count series.
      EXPECT_TRUE(std::regex_search(scrape.body, std::regex("\n" + metric + "[ {]")))
          << file << " uses " << metric << ", which /metrics does not serve";
      ++names;
    }
    // And each label value a query picks out exists: type="missed_checkin", within="60s".
    std::regex selector(R"(((lantern|process)_[a-z0-9_]+)\{([^}]*)\})");
    std::regex matcher(R"re(([a-z_]+)="([^"$]+)")re");
    for (std::sregex_iterator m(text.begin(), text.end(), selector), end; m != end; ++m) {
      auto labels = (*m)[3].str();
      for (std::sregex_iterator l(labels.begin(), labels.end(), matcher); l != end; ++l) {
        auto series = (*m)[1].str() + "{";
        auto pair = (*l)[1].str() + "=\"" + (*l)[2].str() + "\"";
        bool found = false;
        for (auto at = scrape.body.find("\n" + series); at != std::string::npos && !found;
             at = scrape.body.find("\n" + series, at + 1))
          found = scrape.body.substr(at, scrape.body.find('\n', at + 1) - at).find(pair) != std::string::npos;
        EXPECT_TRUE(found) << file << " selects " << series << pair << "}, which /metrics does not serve";
        ++label_values;
      }
    }
  }
  EXPECT_GT(names, 40u);
  EXPECT_GT(label_values, 5u);
}

}  // namespace
}  // namespace lantern::testing
