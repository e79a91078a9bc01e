// Administrators keeping records current through /api/v1 on a real lantern-server: versions
// and 409s, every kind of bad input refused with the field named and nothing changed, roles
// on every route, every change in the events with before and after, live plan changes (an
// open case keeps its plan and says it changed; the next alarm uses the new one), reviews,
// the subject-access record, and the centre file round trip.
#include "console_client.hpp"
#include "device_client.hpp"
#include "server_process.hpp"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace lantern::testing {
namespace {

namespace json = boost::json;

constexpr const char* margaret = "/api/v1/persons/person-margaret-ellis";

struct reply {
  int status;
  json::value body;
};

class AdminApi : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(import_centre(db(), demo_centre()).exit_code, 0);
    server_ = std::make_unique<server_process>(db());
    admin_ = login(port(), "admin", "lantern-demo-admin");
  }
  std::string db() const { return dir_.file("lantern.db"); }
  unsigned short port() const { return server_->http_port(); }

  reply call(const std::string& method, const std::string& target, const std::string& body = "",
             std::string cookie = "") {
    auto answer = http_request(port(), method, target, body, cookie.empty() ? admin_ : cookie);
    boost::system::error_code ec;
    auto parsed = json::parse(answer.body, ec);
    return {answer.status, ec ? json::value(answer.body) : parsed};
  }
  reply call(const std::string& method, const std::string& target, const json::object& body) {
    return call(method, target, json::serialize(body));
  }
  json::object get(const std::string& target) {
    auto r = call("GET", target);
    EXPECT_EQ(r.status, 200) << json::serialize(r.body);
    return r.body.is_object() ? r.body.as_object() : json::object{};
  }
  // Margaret's record as read, ready to send back with a change.
  json::object margaret_record() { return get(margaret); }

  std::int64_t events(const char* kind) {
    SQLite::Database read(db(), SQLite::OPEN_READONLY);
    return read.execAndGet(std::string("SELECT count(*) FROM events WHERE kind = '") + kind + "'").getInt64();
  }

  temp_dir dir_;
  std::unique_ptr<server_process> server_;
  std::string admin_;
};

std::string fall_instructions(const json::object& person) {
  for (const auto& rule : person.at("plan").at("rules").as_array())
    if (rule.at("type") == "fall") return std::string(rule.at("instructions").as_string());
  return "";
}

void set_fall_instructions(json::object& person, const std::string& text) {
  for (auto& rule : person["plan"].as_object()["rules"].as_array())
    if (rule.at("type") == "fall") rule.as_object()["instructions"] = text;
}

TEST_F(AdminApi, AnUpdateWithTheVersionReadIsStoredAndAuditedAndAStaleOneGetsTheCurrentRecord) {
  auto record = margaret_record();
  ASSERT_EQ(record.at("version").as_int64(), 1);
  set_fall_instructions(record, "Ask about her head first.");
  auto first = call("PUT", margaret, record);
  ASSERT_EQ(first.status, 200) << json::serialize(first.body);
  EXPECT_EQ(first.body.at("version").as_int64(), 2);
  EXPECT_EQ(fall_instructions(margaret_record()), "Ask about her head first.");

  // A second administrator still holds version 1: their change would undo the first.
  set_fall_instructions(record, "Older text");
  auto stale = call("PUT", margaret, record);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.body.at("current").at("version").as_int64(), 2);
  EXPECT_EQ(fall_instructions(stale.body.at("current").as_object()), "Ask about her head first.");
  EXPECT_EQ(fall_instructions(margaret_record()), "Ask about her head first.");

  SQLite::Database read(db(), SQLite::OPEN_READONLY);
  SQLite::Statement change(read, "SELECT actor, payload FROM events WHERE kind = 'record_change'");
  ASSERT_TRUE(change.executeStep());
  EXPECT_EQ(change.getColumn(0).getString(), "admin");
  auto payload = json::parse(change.getColumn(1).getString());
  EXPECT_EQ(payload.at("action"), "update");
  EXPECT_EQ(payload.at("id"), "person-margaret-ellis");
  EXPECT_NE(fall_instructions(payload.at("before").as_object()), "Ask about her head first.");
  EXPECT_EQ(fall_instructions(payload.at("after").as_object()), "Ask about her head first.");
  EXPECT_FALSE(change.executeStep()) << "the refused change left no event";

  auto figures = http_request(server_->metrics_port(), "GET", "/metrics").body;
  EXPECT_NE(figures.find(R"(lantern_record_changes_total{resource="person",result="done"} 1)"), std::string::npos);
  EXPECT_NE(figures.find(R"(lantern_record_changes_total{resource="person",result="conflict"} 1)"), std::string::npos);
}

TEST_F(AdminApi, EveryKindOfBadInputIsRefusedWithTheFieldAndRuleAndChangesNothing) {
  auto record = margaret_record();
  auto with = [&](const std::function<void(json::object&)>& edit) {
    auto copy = record;
    edit(copy);
    return json::serialize(copy);
  };
  struct bad_input {
    std::string what;
    std::string body;
    int status;
    std::string field;
  };
  std::vector<bad_input> cases{
      {"malformed JSON", "{\"name\": ", 400, "(body)"},
      {"not an object", "[1, 2]", 400, "(body)"},
      {"wrong type", with([](json::object& p) { p["name"] = 42; }), 422, "name"},
      {"unknown field", with([](json::object& p) { p["nick_name"] = "Peggy"; }), 422, "nick_name"},
      {"unknown plan field", with([](json::object& p) { p["plan"].as_object()["colour"] = "red"; }), 422,
       "plan.colour"},
      {"out of range", with([](json::object& p) { p["plan"].as_object()["escalation"].as_object()["passes"] = 99; }),
       422, "plan.escalation.passes"},
      {"unknown responder", with([](json::object& p) { p["plan"].as_object()["responders"] = json::array{"nobody"}; }),
       422, "plan.responders"},
      {"invalid language tag", with([](json::object& p) { p["preferred_language"] = "Welsh!"; }), 422,
       "preferred_language"},
      {"unknown alarm type",
       with([](json::object& p) { p["plan"].as_object()["rules"].as_array()[0].as_object()["type"] = "fal"; }), 422,
       "plan.rules[0].type"},
      {"missing version", with([](json::object& p) { p.erase("version"); }), 422, "version"},
      {"another record's id", with([](json::object& p) { p["id"] = "person-frank-green"; }), 422, "id"},
      {"over 64 KiB", with([](json::object& p) { p["medical_notes"] = std::string(70'000, 'x'); }), 413, ""},
  };
  auto before = events("record_change");
  for (const auto& c : cases) {
    auto r = call("PUT", margaret, c.body);
    EXPECT_EQ(r.status, c.status) << c.what << ": " << json::serialize(r.body);
    ASSERT_TRUE(r.body.is_object()) << c.what;
    EXPECT_TRUE(r.body.as_object().contains("error")) << c.what;
    if (!c.field.empty()) {
      EXPECT_EQ(r.body.at("field"), c.field.c_str()) << c.what << ": " << json::serialize(r.body);
    }
  }
  // A carer's time zone and a device's heartbeat, on create.
  auto zone = call("POST", "/api/v1/carers",
                   R"({"id":"carer-new","name":"New Carer","phone":"+447700900999","time_zone":"Europe/Lundun"})");
  EXPECT_EQ(zone.status, 422);
  EXPECT_EQ(zone.body.at("field"), "time_zone");
  auto heartbeat = call("POST", "/api/v1/devices",
                        R"({"id":"dev-new","person_id":"person-margaret-ellis","kind":"pendant",
                            "token":"a-long-enough-token","heartbeat_interval_s":1})");
  EXPECT_EQ(heartbeat.status, 422);
  EXPECT_EQ(heartbeat.body.at("field"), "heartbeat_interval_s");
  auto no_person =
      call("POST", "/api/v1/devices",
           R"({"id":"dev-new","person_id":"person-nobody","kind":"pendant","token":"a-long-enough-token"})");
  EXPECT_EQ(no_person.status, 422);
  EXPECT_EQ(no_person.body.at("field"), "person_id");
  // Sent as a form, not JSON.
  auto form = http_request(port(), "PUT", margaret, "name=Peggy", admin_, "application/x-www-form-urlencoded");
  EXPECT_EQ(form.status, 415);

  EXPECT_EQ(events("record_change"), before) << "nothing was stored";
  EXPECT_EQ(margaret_record().at("version").as_int64(), 1);
  EXPECT_EQ(call("GET", "/api/v1/carers/carer-new").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/devices/dev-new").status, 404);
}

TEST_F(AdminApi, RolesAreEnforcedOnEveryRoute) {
  auto supervisor = login(port(), "gwen", "lantern-demo-gwen");
  auto op = login(port(), "amira", "lantern-demo-amira");
  auto body = json::serialize(margaret_record());
  const std::vector<std::pair<std::string, std::string>> reads{{"GET", "/api/v1/persons"},
                                                               {"GET", margaret},
                                                               {"GET", std::string(margaret) + "/record"},
                                                               {"GET", "/api/v1/carers"},
                                                               {"GET", "/api/v1/carers/carer-sarah-ellis"},
                                                               {"GET", "/api/v1/devices"},
                                                               {"GET", "/api/v1/devices/dev-100231"},
                                                               {"GET", "/api/v1/operators"},
                                                               {"GET", "/api/v1/operators/amira"}};
  const std::vector<std::pair<std::string, std::string>> writes{{"PUT", margaret},
                                                                {"POST", "/api/v1/persons"},
                                                                {"POST", std::string(margaret) + "/deactivate"},
                                                                {"POST", std::string(margaret) + "/review"},
                                                                {"POST", "/api/v1/carers"},
                                                                {"PUT", "/api/v1/carers/carer-sarah-ellis"},
                                                                {"POST", "/api/v1/carers/carer-sarah-ellis/deactivate"},
                                                                {"POST", "/api/v1/devices"},
                                                                {"PUT", "/api/v1/devices/dev-100231"},
                                                                {"POST", "/api/v1/devices/dev-100231/deactivate"},
                                                                {"POST", "/api/v1/operators"},
                                                                {"PUT", "/api/v1/operators/amira"},
                                                                {"POST", "/api/v1/operators/amira/deactivate"},
                                                                {"GET", "/api/v1/centre-file"}};
  for (const auto& [method, target] : reads) {
    EXPECT_EQ(http_request(port(), method, target, "", "").status, 401) << method << " " << target;
    EXPECT_EQ(http_request(port(), method, target, "", op).status, 403) << "operator: " << method << " " << target;
    EXPECT_EQ(http_request(port(), method, target, "", supervisor).status, 200)
        << "supervisor: " << method << " " << target;
  }
  for (const auto& [method, target] : writes) {
    EXPECT_EQ(http_request(port(), method, target, body, "").status, 401) << method << " " << target;
    EXPECT_EQ(http_request(port(), method, target, body, op).status, 403) << "operator: " << method << " " << target;
    EXPECT_EQ(http_request(port(), method, target, body, supervisor).status, 403)
        << "supervisor: " << method << " " << target;
  }
  EXPECT_EQ(margaret_record().at("version").as_int64(), 1);
  EXPECT_EQ(events("record_change"), 0);
}

// Key-safe codes only where needed: once any supervisor could read them without a case.
TEST_F(AdminApi, AccessDetailsAreInNoReadButAnAdminsAuditedOne) {
  const std::string key_safe = "code 4821";
  auto supervisor = login(port(), "gwen", "lantern-demo-gwen");
  for (const std::string& target :
       {std::string(margaret), std::string(margaret) + "/record", std::string("/api/v1/persons?q=margaret"),
        std::string(margaret) + "?include=access"})
    EXPECT_EQ(http_request(port(), "GET", target, "", supervisor).body.find(key_safe), std::string::npos) << target;
  EXPECT_EQ(http_request(port(), "GET", std::string(margaret) + "?include=access", "", supervisor).status, 403);
  EXPECT_EQ(call("GET", std::string(margaret) + "?include=secrets").status, 400);
  auto subject_access = call("GET", std::string(margaret) + "/record");
  ASSERT_EQ(subject_access.status, 200);
  EXPECT_EQ(json::serialize(subject_access.body).find(key_safe), std::string::npos)
      << "not in the admin's subject-access record either";
  EXPECT_FALSE(margaret_record().contains("access"));
  EXPECT_EQ(events("access_read"), 0);

  auto shown = call("GET", std::string(margaret) + "?include=access");
  ASSERT_EQ(shown.status, 200);
  EXPECT_NE(std::string(shown.body.at("access").as_string()).find(key_safe), std::string::npos);
  EXPECT_EQ(events("access_read"), 1) << "the read is in the audit trail";

  // A save without access keeps the stored details; one with new details replaces them.
  auto record = margaret_record();
  record["phone"] = "+441134960099";
  auto saved = call("PUT", margaret, record);
  ASSERT_EQ(saved.status, 200) << json::serialize(saved.body);
  EXPECT_FALSE(saved.body.as_object().contains("access"));
  EXPECT_NE(call("GET", std::string(margaret) + "?include=access").body.at("access").as_string().find(key_safe),
            std::string::npos);
  record = margaret_record();
  record["access"] = "Key safe by the front door, code 1234.";
  ASSERT_EQ(call("PUT", margaret, record).status, 200);
  EXPECT_EQ(call("GET", std::string(margaret) + "?include=access").body.at("access"),
            "Key safe by the front door, code 1234.");
}

TEST_F(AdminApi, ListsArePagedAndSearchedByNameOrId) {
  auto all = get("/api/v1/persons?per_page=200");
  auto total = all.at("total").as_int64();
  ASSERT_GE(total, 10);
  std::set<std::string> seen;
  for (int page = 1; page <= 4; ++page) {
    auto one = get("/api/v1/persons?per_page=3&page=" + std::to_string(page));
    EXPECT_EQ(one.at("total").as_int64(), total);
    for (const auto& p : one.at("items").as_array()) seen.insert(std::string(p.at("id").as_string()));
  }
  EXPECT_EQ(seen.size(), 12u) << "pages do not overlap";
  auto by_name = get("/api/v1/persons?q=margaret%20ell");
  ASSERT_EQ(by_name.at("items").as_array().size(), 1u);
  EXPECT_EQ(by_name.at("items").as_array()[0].at("id"), "person-margaret-ellis");
  auto by_id = get("/api/v1/devices?q=100231");
  ASSERT_EQ(by_id.at("items").as_array().size(), 1u);
  EXPECT_EQ(by_id.at("items").as_array()[0].at("person_id"), "person-margaret-ellis");
  EXPECT_FALSE(by_id.at("items").as_array()[0].as_object().contains("token_hash"));
  EXPECT_EQ(call("GET", "/api/v1/persons?per_page=0").status, 400);
  EXPECT_EQ(call("GET", "/api/v1/carers?review=overdue").status, 400);
}

TEST_F(AdminApi, DevicesAndOperatorsAddedOrDeactivatedTakeEffectAtOnce) {
  // A new pendant logs in with its token at once, and is refused once deactivated.
  auto created = call("POST", "/api/v1/devices",
                      R"({"id":"dev-new-1","person_id":"person-margaret-ellis","kind":"pendant",
                          "token":"new-pendant-token-1","heartbeat_interval_s":60})");
  ASSERT_EQ(created.status, 201) << json::serialize(created.body);
  EXPECT_FALSE(created.body.as_object().contains("token"));
  EXPECT_EQ(call("POST", "/api/v1/devices", R"({"id":"dev-new-1","person_id":"person-margaret-ellis",
      "kind":"pendant","token":"new-pendant-token-1"})")
                .status,
            409);
  device_client live(server_->device_port());
  ASSERT_TRUE(live.hello("dev-new-1", "new-pendant-token-1").has_welcome());
  EXPECT_TRUE(live.alarm(1, "pendant").has_ack());
  EXPECT_GT(get("/api/v1/devices/dev-new-1").at("last_seen_ms").as_int64(), 0) << "heard from just now";

  // Given to Frank while connected: its next alarm is his.
  auto moved = call("PUT", "/api/v1/devices/dev-new-1",
                    R"({"version":1,"person_id":"person-frank-green","kind":"pendant","heartbeat_interval_s":60})");
  ASSERT_EQ(moved.status, 200) << json::serialize(moved.body);
  EXPECT_TRUE(live.alarm(2, "pendant").has_ack());
  {
    SQLite::Database read(db(), SQLite::OPEN_READONLY);
    EXPECT_EQ(
        read.execAndGet("SELECT person_id FROM events WHERE device_id = 'dev-new-1' AND device_seq = 2").getString(),
        "person-frank-green");
  }

  // Deactivated: the live link is refused at its next alarm, and a new login too.
  auto off = call("POST", "/api/v1/devices/dev-new-1/deactivate", R"({"version":2})");
  ASSERT_EQ(off.status, 200) << json::serialize(off.body);
  EXPECT_EQ(off.body.at("active"), false);
  EXPECT_TRUE(live.alarm(3, "pendant").has_nack());
  {
    device_client device(server_->device_port());
    EXPECT_TRUE(device.hello("dev-new-1", "new-pendant-token-1").has_nack());
  }
  EXPECT_EQ(get("/api/v1/devices/dev-new-1").at("active"), false) << "deactivated, not deleted";

  // A new operator logs in; a password reset takes effect; deactivation locks them out.
  auto op = call("POST", "/api/v1/operators",
                 R"({"username":"ceri","display_name":"Ceri Jones","role":"operator","languages":["cy"],
                     "password":"first-password-123"})");
  ASSERT_EQ(op.status, 201) << json::serialize(op.body);
  EXPECT_FALSE(op.body.as_object().contains("password_hash"));
  EXPECT_NO_THROW(login(port(), "ceri", "first-password-123"));
  auto reset = call("PUT", "/api/v1/operators/ceri",
                    R"({"version":1,"display_name":"Ceri Jones","role":"operator","languages":["cy","en-GB"],
                        "password":"second-password-456"})");
  ASSERT_EQ(reset.status, 200) << json::serialize(reset.body);
  EXPECT_THROW(login(port(), "ceri", "first-password-123"), std::runtime_error);
  auto ceri = login(port(), "ceri", "second-password-456");
  EXPECT_EQ(call("POST", "/api/v1/operators/ceri/deactivate", R"({"version":2})").status, 200);
  EXPECT_THROW(login(port(), "ceri", "second-password-456"), std::runtime_error);
  EXPECT_EQ(http_request(port(), "GET", "/api/v1/me", "", ceri).status, 401) << "their session ended";
  SQLite::Database read(db(), SQLite::OPEN_READONLY);
  auto payload = read.execAndGet(
                         "SELECT payload FROM events WHERE record_id = 'operator:ceri' ORDER BY id LIMIT 1 "
                         "OFFSET 1")
                     .getString();
  EXPECT_NE(payload.find("\"password_changed\":true"), std::string::npos);
  EXPECT_EQ(payload.find("argon2"), std::string::npos) << "no secret, not even its hash, in the audit trail";

  // The centre keeps an admin, and an admin cannot lock themselves out.
  EXPECT_EQ(call("POST", "/api/v1/operators/admin/deactivate", R"({"version":1})").status, 409);
}

// Once an open /ws accepted a case after logout, an old cookie worked after a password
// reset, and a deactivated supervisor's socket kept receiving person cards.
TEST_F(AdminApi, EndingAccessEndsItNowOnEveryWorkstation) {
  auto amira = login(port(), "amira", "lantern-demo-amira");
  console_client amira_console(port(), amira);
  EXPECT_EQ(call("POST", "/api/v1/logout", "", amira).status, 200);
  EXPECT_TRUE(amira_console.closed_by_server()) << "logout closes the login's console";

  // A password reset ends both of Gwen's logins and closes both consoles.
  auto gwen_desk = login(port(), "gwen", "lantern-demo-gwen");
  auto gwen_office = login(port(), "gwen", "lantern-demo-gwen");
  console_client desk_console(port(), gwen_desk), office_console(port(), gwen_office);
  auto gwen = get("/api/v1/operators/gwen");
  gwen["password"] = "a-brand-new-password-1";
  gwen.erase("active");
  ASSERT_EQ(call("PUT", "/api/v1/operators/gwen", gwen).status, 200);
  EXPECT_TRUE(desk_console.closed_by_server());
  EXPECT_TRUE(office_console.closed_by_server());
  EXPECT_EQ(http_request(port(), "GET", "/api/v1/me", "", gwen_desk).status, 401);
  EXPECT_EQ(http_request(port(), "GET", "/api/v1/me", "", gwen_office).status, 401);
  EXPECT_NO_THROW(login(port(), "gwen", "a-brand-new-password-1"));

  // A new role ends Olu's login; a change of languages does not.
  auto olu = login(port(), "olu", "lantern-demo-olu");
  console_client olu_console(port(), olu);
  auto record = get("/api/v1/operators/olu");
  record.erase("active");
  record["languages"] = json::array{"en-GB", "yo", "fr"};
  ASSERT_EQ(call("PUT", "/api/v1/operators/olu", record).status, 200);
  EXPECT_EQ(http_request(port(), "GET", "/api/v1/me", "", olu).status, 200) << "languages change nothing of access";
  record = get("/api/v1/operators/olu");
  record.erase("active");
  record["role"] = "supervisor";
  ASSERT_EQ(call("PUT", "/api/v1/operators/olu", record).status, 200);
  EXPECT_TRUE(olu_console.closed_by_server());
  EXPECT_EQ(http_request(port(), "GET", "/api/v1/me", "", olu).status, 401);

  // Deactivated: the supervisor's console closes at once.
  auto supervisor = login(port(), "olu", "lantern-demo-olu");
  console_client supervisor_console(port(), supervisor);
  record = get("/api/v1/operators/olu");
  ASSERT_EQ(call("POST", "/api/v1/operators/olu/deactivate", json::object{{"version", record.at("version")}}).status,
            200);
  EXPECT_TRUE(supervisor_console.closed_by_server());
  EXPECT_TRUE(server_->said("every login of 'olu' ended"));
}

TEST_F(AdminApi, NothingACaseOrPlanReliesOnCanBeDeactivatedFromUnderIt) {
  auto carer = call("POST", "/api/v1/carers/carer-sarah-ellis/deactivate", R"({"version":1})");
  EXPECT_EQ(carer.status, 409);
  EXPECT_NE(std::string(carer.body.at("error").as_string()).find("person-margaret-ellis"), std::string::npos);
  auto person = call("POST", std::string(margaret) + "/deactivate", R"({"version":1})");
  EXPECT_EQ(person.status, 409);
  EXPECT_NE(std::string(person.body.at("error").as_string()).find("dev-100231"), std::string::npos);
  EXPECT_EQ(get("/api/v1/carers/carer-sarah-ellis").at("active"), true);
}

TEST_F(AdminApi, ReviewsAreRecordedAndOverduePlansListedForSupervisors) {
  auto supervisor = login(port(), "gwen", "lantern-demo-gwen");
  auto overdue = [&] {
    auto answer = http_request(port(), "GET", "/api/v1/persons?review=overdue&per_page=200", "", supervisor);
    std::set<std::string> ids;
    auto page = json::parse(answer.body);
    for (const auto& p : page.at("items").as_array()) ids.insert(std::string(p.at("id").as_string()));
    return ids;
  };
  // Make Margaret's review overdue, as an administrator would find it after a year.
  auto record = margaret_record();
  record["plan"].as_object()["review_due"] = "2020-01-01";
  ASSERT_EQ(call("PUT", margaret, record).status, 200);
  EXPECT_TRUE(overdue().contains("person-margaret-ellis"));

  EXPECT_EQ(call("POST", std::string(margaret) + "/review", R"({"version":2,"next_review_due":"2020-02-01"})").status,
            422)
      << "the next review must be in the future";
  auto reviewed = call("POST", std::string(margaret) + "/review",
                       R"({"version":2,"note":"Reviewed with Margaret and Sarah; no changes.",
                           "next_review_due":"2099-06-01"})");
  ASSERT_EQ(reviewed.status, 200) << json::serialize(reviewed.body);
  EXPECT_FALSE(overdue().contains("person-margaret-ellis"));
  auto now = margaret_record();
  EXPECT_EQ(now.at("plan").at("review_due"), "2099-06-01");
  EXPECT_EQ(now.at("last_review").at("by"), "admin");
  EXPECT_EQ(now.at("last_review").at("note"), "Reviewed with Margaret and Sarah; no changes.");
  EXPECT_GT(now.at("last_review").at("at_ms").as_int64(), 0);
  EXPECT_EQ(events("record_change"), 2);
}

TEST_F(AdminApi, APlanChangedWhileACaseIsOpenLeavesTheCaseItsPlanAndTheNextFallGetsTheNewOne) {
  auto console = std::make_unique<console_client>(port(), login(port(), "amira", "lantern-demo-amira"));
  ASSERT_TRUE(console->next());  // snapshot
  device_client device(server_->device_port());
  ASSERT_TRUE(device.hello("dev-100231", "demo-token-100231").has_welcome());
  ASSERT_TRUE(device.alarm(1, "fall").has_ack());
  auto opened = console->next_update_where([](const json::object& c) { return c.at("alarm_type") == "fall"; });
  ASSERT_TRUE(opened);
  auto first_case = std::string(opened->at("update").at("case").at("case_id").as_string());
  auto old_text = std::string(opened->at("update").at("case").at("person").at("instructions").as_string());

  auto record = margaret_record();
  set_fall_instructions(record, "NEW: she now has a falls sensor in the bathroom; check there first.");
  ASSERT_EQ(call("PUT", margaret, record).status, 200);
  auto marked = console->next_update_where([&](const json::object& c) {
    return c.at("case_id") == first_case.c_str() && c.contains("person") &&
           c.at("person").as_object().contains("plan_changed");
  });
  ASSERT_TRUE(marked) << "the open case shows that the plan changed";
  EXPECT_EQ(marked->at("update").at("case").at("person").at("instructions"), old_text.c_str())
      << "the open case keeps the plan it opened under";
  EXPECT_EQ(json::serialize(marked->at("update").at("case").at("person").at("plan_changes")), R"(["plan.rules"])")
      << "the card says what changed";

  // A second fall would join the open case: the first is resolved so the next one opens.
  auto owner = std::make_unique<console_client>(port(), login(port(), "olu", "lantern-demo-olu"));
  ASSERT_TRUE(owner->next());
  ASSERT_EQ(owner->command({{"type", "accept"}, {"case_id", first_case}}), "");
  ASSERT_EQ(owner->command({{"type", "resolve"}, {"case_id", first_case}, {"outcome", "false_alarm"}, {"note", "x"}}),
            "");
  ASSERT_TRUE(device.alarm(2, "fall").has_ack());
  auto next = console->next_update_where([&](const json::object& c) {
    return c.at("alarm_type") == "fall" && c.at("case_id") != first_case.c_str() && c.contains("person");
  });
  ASSERT_TRUE(next);
  EXPECT_EQ(next->at("update").at("case").at("person").at("instructions"),
            "NEW: she now has a falls sensor in the bathroom; check there first.");
  EXPECT_FALSE(next->at("update").at("case").at("person").as_object().contains("plan_changed"));

  // The person's outcomes over 90 days count the resolved fall (once the desk has saved
  // its cases, within a fraction of a second).
  json::array counts;
  bool found = false;
  for (int tries = 0; tries < 50 && !found; ++tries) {
    if (tries) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    counts = margaret_record().at("outcomes").at("counts").as_array();
    for (const auto& c : counts)
      found |= c.at("alarm_type") == "fall" && c.at("outcome") == "false_alarm" && c.at("count").as_int64() == 1;
  }
  EXPECT_TRUE(found) << json::serialize(counts);

  // The subject-access record has the case with its timeline, and the change with who made it.
  auto sar = get(std::string(margaret) + "/record");
  EXPECT_EQ(sar.at("format"), "lantern.subject-access.v1");
  ASSERT_GE(sar.at("cases").as_array().size(), 1u);
  EXPECT_GE(sar.at("cases").as_array()[0].at("timeline").as_array().size(), 3u);
  ASSERT_EQ(sar.at("record_changes").as_array().size(), 1u);
  EXPECT_EQ(sar.at("record_changes").as_array()[0].at("actor"), "admin");
  EXPECT_EQ(sar.at("plan_versions").as_array().size(), 2u);

  // The export is itself a read the person may see: who exported their record, and when.
  const auto& reads = sar.at("reads").as_array();
  ASSERT_FALSE(reads.empty());
  EXPECT_EQ(reads.back().at("kind"), "subject_access_export");
  EXPECT_EQ(reads.back().at("actor"), "admin");
  EXPECT_EQ(get(std::string(margaret) + "/record").at("reads").as_array().size(), reads.size() + 1);
  EXPECT_EQ(call("GET", "/api/v1/persons/person-nobody/record").status, 404);
}

TEST_F(AdminApi, TheOperatorHandlingACaseGetsNewAccessDetailsAtOnce) {
  console_client olu(port(), login(port(), "olu", "lantern-demo-olu"));
  ASSERT_TRUE(olu.next());
  device_client device(server_->device_port());
  ASSERT_TRUE(device.hello("dev-100231", "demo-token-100231").has_welcome());
  ASSERT_TRUE(device.alarm(1, "pendant").has_ack());
  auto opened = olu.next_update_where([](const json::object& c) { return c.at("alarm_type") == "pendant"; });
  ASSERT_TRUE(opened);
  auto case_id = std::string(opened->at("update").at("case").at("case_id").as_string());
  ASSERT_EQ(olu.command({{"type", "accept"}, {"case_id", case_id}}), "");

  // The key safe's code changed while a responder is on the way: they need the new one.
  auto record = margaret_record();
  record["access"] = "Key safe left of the back door, NEW code 1906.";
  ASSERT_EQ(call("PUT", margaret, record).status, 200);
  auto access = olu.next_where([](const json::object& m) {
    return m.contains("access") && m.at("access").at("access") == "Key safe left of the back door, NEW code 1906.";
  });
  EXPECT_TRUE(access) << "the owner's console has the new access details";
}

TEST_F(AdminApi, AnOpenCaseKeepsThePlanItOpenedUnderAcrossARestart) {
  {
    device_client device(server_->device_port());
    ASSERT_TRUE(device.hello("dev-100231", "demo-token-100231").has_welcome());
    ASSERT_TRUE(device.alarm(1, "fall").has_ack());
  }
  auto original = fall_instructions(margaret_record());
  auto record = margaret_record();
  set_fall_instructions(record, "Changed after the fall was raised.");
  ASSERT_EQ(call("PUT", margaret, record).status, 200);
  // Let the desk save its cases, then restart.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_EQ(server_->stop(), 0);
  server_ = std::make_unique<server_process>(db());
  console_client console(port(), login(port(), "amira", "lantern-demo-amira"));
  auto snapshot = console.next();
  ASSERT_TRUE(snapshot && snapshot->as_object().contains("snapshot"));
  const json::object* fall = nullptr;
  for (const auto& c : snapshot->at("snapshot").at("cases").as_array())
    if (c.at("alarm_type") == "fall") fall = &c.as_object();
  ASSERT_NE(fall, nullptr);
  EXPECT_EQ(fall->at("person").at("instructions"), original.c_str());
  EXPECT_EQ(fall->at("person").at("plan_changed"), true);
}

// The desk saves its cases a second after they change. A kill -9 before that leaves the
// case to be rebuilt at start from the stored alarm: under the plan of that moment, not the
// one changed since, and then saved like any other.
TEST_F(AdminApi, ACaseRebuiltAfterAKill9KeepsThePlanItOpenedUnderAndIsSaved) {
  auto original = fall_instructions(margaret_record());
  auto record = margaret_record();
  set_fall_instructions(record, "Changed after the fall was raised, before the kill.");
  {
    device_client device(server_->device_port());
    ASSERT_TRUE(device.hello("dev-100231", "demo-token-100231").has_welcome());
    ASSERT_TRUE(device.alarm(1, "fall").has_ack());
  }
  ASSERT_EQ(call("PUT", margaret, record).status, 200);
  server_->kill_hard();
  auto fall_card = [this]() -> json::object {
    console_client console(port(), login(port(), "amira", "lantern-demo-amira"));
    auto snapshot = console.next();
    if (!snapshot || !snapshot->as_object().contains("snapshot")) return {};
    for (const auto& c : snapshot->at("snapshot").at("cases").as_array())
      if (c.at("alarm_type") == "fall") return c.as_object();
    return {};
  };
  server_ = std::make_unique<server_process>(db());
  ASSERT_TRUE(server_->said("applying 1 events stored after the cases were last saved"))
      << "the kill came after the case was saved: this test needs it before";
  auto fall = fall_card();
  ASSERT_FALSE(fall.empty());
  EXPECT_EQ(fall.at("person").at("instructions"), original.c_str());
  EXPECT_EQ(fall.at("person").at("plan_changed"), true);

  // Saved at the clean stop, with the plan it opened under: the next start replays nothing.
  ASSERT_EQ(server_->stop(), 0);
  {
    SQLite::Database read(db(), SQLite::OPEN_READONLY);
    EXPECT_EQ(read.execAndGet("SELECT count(*) FROM cases WHERE alarm_type = 'fall'").getInt(), 1);
  }
  server_ = std::make_unique<server_process>(db());
  fall = fall_card();
  ASSERT_FALSE(fall.empty());
  // The replay is logged before "listening", so output() holds it if it happened.
  EXPECT_EQ(server_->output().find("events stored after the cases were last saved"), std::string::npos);
  EXPECT_EQ(fall.at("person").at("instructions"), original.c_str());
  EXPECT_EQ(fall.at("person").at("plan_changed"), true);
}

TEST_F(AdminApi, TheCentreFileExportImportsBackToTheSameCentre) {
  auto record = margaret_record();
  set_fall_instructions(record, "Changed through the API before the export.");
  ASSERT_EQ(call("PUT", margaret, record).status, 200);
  auto exported = http_request(port(), "GET", "/api/v1/centre-file", "", admin_);
  ASSERT_EQ(exported.status, 200);
  EXPECT_NE(exported.body.find("Changed through the API before the export."), std::string::npos);

  temp_dir other;
  auto file = other.file("centre.json");
  std::ofstream(file) << exported.body;
  auto imported = import_centre(other.file("copy.db"), file);
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  server_process copy(other.file("copy.db"));
  auto again = http_request(copy.http_port(), "GET", "/api/v1/centre-file", "",
                            login(copy.http_port(), "admin", "lantern-demo-admin"));
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.body, exported.body) << "the same records, plans, devices and accounts";
  // The copied devices log in with their original tokens (only hashes were exported).
  device_client device(copy.device_port());
  EXPECT_TRUE(device.hello("dev-100231", "demo-token-100231").has_welcome());
}

TEST_F(AdminApi, TheCentresOwnRecordIsKeptByAdminsAndReachesConsolesAndCards) {
  auto settings = get("/api/v1/settings/centre");
  EXPECT_EQ(settings.at("name"), "Lantern Telecare, Leeds");
  // Hostile and careless bodies: named by field, nothing changed.
  auto bad = settings;
  bad["default_instructions"].as_object()["fal"] = "x";
  bad["canned_notes"].as_array()[0].as_object()["outcome"] = "went_home";
  bad["id"] = "../centre";
  auto refused = call("PUT", "/api/v1/settings/centre", bad);
  EXPECT_EQ(refused.status, 422);
  auto errors = json::serialize(refused.body);
  for (const char* field : {"default_instructions", "canned_notes[0].outcome", "\"id\""})
    EXPECT_NE(errors.find(field), std::string::npos) << field << " in " << errors;
  EXPECT_EQ(call("GET", "/api/v1/settings/other").status, 404);
  EXPECT_EQ(call("POST", "/api/v1/settings/centre/deactivate", json::object{{"version", 1}}).status, 404);
  EXPECT_EQ(
      call("PUT", "/api/v1/settings/centre", json::serialize(settings), login(port(), "gwen", "lantern-demo-gwen"))
          .status,
      403);

  settings["name"] = "Riverside Telecare";
  settings["default_instructions"].as_object()["pendant"] = "Speak first; then call the daughter.";
  auto saved = call("PUT", "/api/v1/settings/centre", settings);
  ASSERT_EQ(saved.status, 200) << json::serialize(saved.body);
  EXPECT_EQ(saved.body.at("name"), "Riverside Telecare");
  EXPECT_EQ(call("PUT", "/api/v1/settings/centre", settings).status, 409) << "the version read is stale now";

  // A console opened now has the centre and its notes; Margaret's plan has no pendant rule, so
  // her pendant case shows the centre's default, marked as such.
  console_client console(port(), login(port(), "amira", "lantern-demo-amira"));
  auto snapshot = console.next();
  ASSERT_TRUE(snapshot);
  EXPECT_EQ(snapshot->at("snapshot").at("centre").at("name"), "Riverside Telecare");
  EXPECT_GE(snapshot->at("snapshot").at("canned_notes").as_array().size(), 4u);
  device_client device(server_->device_port());
  ASSERT_TRUE(device.hello("dev-100231", "demo-token-100231").has_welcome());
  ASSERT_TRUE(device.alarm(1, "pendant").has_ack());
  auto opened = console.next_update_where([](const json::object& c) { return c.at("alarm_type") == "pendant"; });
  ASSERT_TRUE(opened);
  const auto& card = opened->at("update").at("case").at("person");
  EXPECT_EQ(card.at("instructions"), "Speak first; then call the daughter.");
  EXPECT_EQ(card.at("instructions_are_default"), true);

  // It survives a restart, and the export carries it.
  server_.reset();
  server_ = std::make_unique<server_process>(db());
  admin_ = login(port(), "admin", "lantern-demo-admin");
  EXPECT_EQ(get("/api/v1/settings/centre").at("name"), "Riverside Telecare");
  auto exported = call("GET", "/api/v1/centre-file");
  EXPECT_NE(json::serialize(exported.body).find("Speak first; then call the daughter."), std::string::npos);
}

TEST_F(AdminApi, TheOpenApiDocumentDescribesTheRoutesTheServerServes) {
  std::ifstream in(std::string(LANTERN_SOURCE_DIR) + "/operator-console/openapi.json");
  std::stringstream text;
  text << in.rdbuf();
  auto doc = json::parse(text.str());
  EXPECT_TRUE(doc.at("openapi").as_string().starts_with("3."));
  int checked = 0;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    std::string target(path);
    if (auto brace = target.find("{id}"); brace != std::string::npos) {
      auto id = target.starts_with("/api/v1/settings")  ? "centre"
                : target.starts_with("/api/v1/persons") ? "person-margaret-ellis"
                : target.starts_with("/api/v1/carers")  ? "carer-sarah-ellis"
                : target.starts_with("/api/v1/devices") ? "dev-100231"
                                                        : "amira";
      target.replace(brace, 4, id);
    }
    for (const auto& [method, operation] : item.as_object()) {
      if (method == "parameters") continue;
      std::string verb(method);
      for (auto& ch : verb) ch = static_cast<char>(std::toupper(ch));
      // An empty object: enough to reach the route and be judged by it, and no change.
      // Logging out ends a session of its own.
      auto cookie = target.ends_with("logout") ? login(port(), "admin", "lantern-demo-admin") : admin_;
      auto answer = http_request(port(), verb, target + (target.ends_with("welfare") ? "?from=1&to=2" : ""),
                                 verb == "GET" ? "" : "{}", cookie);
      EXPECT_NE(answer.status, 405) << verb << " " << target << ": " << answer.body;
      EXPECT_EQ(answer.body.find("no such API route"), std::string::npos) << verb << " " << target;
      EXPECT_EQ(answer.body.find("no such page"), std::string::npos) << verb << " " << target;
      // Every status the server answered is one the document promises.
      EXPECT_TRUE(operation.at("responses").as_object().contains(std::to_string(answer.status)))
          << verb << " " << target << " answered " << answer.status << " " << answer.body;
      ++checked;
    }
  }
  EXPECT_GE(checked, 28);  // every operation of the document (/metrics has a listener of its own)
  // And the server serves nothing under /api/v1 that the document leaves out.
  for (const char* undocumented : {"/api/v1/persons/person-margaret-ellis/history", "/api/v1/cases", "/api/v1/admins"})
    EXPECT_EQ(http_request(port(), "GET", undocumented, "", admin_).status, 404) << undocumented;
}

}  // namespace
}  // namespace lantern::testing
