// One record sent to the admin API is checked by the centre file's rules, named by field
// from the body's top; the centre file written by an export reads back to the same centre.
#include "centre/centre_file.hpp"
#include "centre/record_json.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace lantern {
namespace {

namespace json = boost::json;

centre small_centre() {
  centre c;
  c.carers["sarah"] = carer{"sarah", "Sarah Ellis", "daughter", "+447700900123", "", {"en-GB"}, "Europe/London", {}};
  person p;
  p.id = "margaret";
  p.name = "Margaret Ellis";
  p.date_of_birth = "1941-03-02";
  p.address = "12 Rowan Court";
  p.preferred_language = "cy";
  p.plan.review_due = "2027-01-15";
  p.plan.responders = {"sarah"};
  p.plan.hazards = {"dog in the kitchen"};
  p.plan.rules = {{alarm_type::fall, priority::critical, "call 999 if head hit", 120, "key safe by the back door"}};
  c.persons["margaret"] = p;
  return c;
}

std::string fields_of(const record_body& body) {
  std::string out;
  for (const auto& e : body.errors) out += e.field + ": " + e.message + "\n";
  return out;
}

record_body check(record_kind kind, const std::string& text, bool updating = false) {
  return parse_record_body(kind, json::parse(text), small_centre(), updating);
}

TEST(RecordBody, APersonAsTheApiShowsItIsValidAndReadsBackTheSame) {
  auto c = small_centre();
  auto body = check(record_kind::person, json::serialize(to_json(c.persons.at("margaret"))));
  ASSERT_TRUE(body.ok()) << fields_of(body);
  EXPECT_EQ(json::serialize(to_json(std::get<person>(body.record))),
            json::serialize(to_json(c.persons.at("margaret"))));
}

TEST(RecordBody, EachMistakeIsNamedByItsFieldFromTheTopOfTheBody) {
  auto body = check(record_kind::person, R"({"id":"ann","name":"Ann","date_of_birth":"2999-01-01","address":"x",
      "preferred_language":"english","plan":{"review_due":"2027-01-01","responders":["sarah","ghost"],
      "rules":[{"type":"fall","priority":"low"}],"escalation":{"passes":0}},"devices":[]})");
  auto errors = fields_of(body);
  EXPECT_NE(errors.find("date_of_birth: '2999-01-01' must be a past date"), std::string::npos) << errors;
  EXPECT_NE(errors.find("preferred_language: 'english' is not a language tag"), std::string::npos) << errors;
  EXPECT_NE(errors.find("plan.responders: 'ghost' is not a carer of the centre"), std::string::npos) << errors;
  EXPECT_NE(errors.find("plan.rules[0].priority: 'fall' is a life-safety alarm"), std::string::npos) << errors;
  EXPECT_NE(errors.find("plan.escalation.passes: must be a whole number from 1 to 10"), std::string::npos) << errors;
  // Devices are records of their own in the API: a person body does not carry them.
  EXPECT_NE(errors.find("devices: is not a known field"), std::string::npos) << errors;
}

TEST(RecordBody, ANewAccountNeedsAPasswordAnUpdateMayKeepTheOldOne) {
  auto create = check(record_kind::operator_account, R"({"username":"ceri","display_name":"Ceri","role":"operator"})");
  EXPECT_NE(fields_of(create).find("password: is required"), std::string::npos) << fields_of(create);
  auto update =
      check(record_kind::operator_account, R"({"username":"ceri","display_name":"Ceri","role":"admin"})", true);
  ASSERT_TRUE(update.ok()) << fields_of(update);
  EXPECT_EQ(std::get<operator_account>(update.record).password_hash, "") << "empty: keep the stored hash";
  auto short_one = check(record_kind::operator_account,
                         R"({"username":"ceri","display_name":"Ceri","role":"operator","password":"short"})", true);
  EXPECT_NE(fields_of(short_one).find("password: must be at least 12 characters"), std::string::npos);
  // A hash is never taken from the API: only a centre file written by an export has one.
  auto hashed = check(record_kind::operator_account,
                      R"({"username":"ceri","display_name":"Ceri","role":"operator","password_hash":"$argon2id$x"})");
  EXPECT_NE(fields_of(hashed).find("password_hash: is not a known field"), std::string::npos) << fields_of(hashed);
}

TEST(RecordBody, ADeviceNamesAPersonOfTheCentre) {
  auto ok = check(record_kind::device,
                  R"({"id":"dev-1","person_id":"margaret","kind":"pendant","token":"long-enough-token-1"})");
  ASSERT_TRUE(ok.ok()) << fields_of(ok);
  EXPECT_EQ(std::get<device_record>(ok.record).person_id, "margaret");
  auto stranger =
      check(record_kind::device, R"({"id":"dev-1","person_id":"nobody","kind":"pendant","token":"long-enough-token"})");
  EXPECT_NE(fields_of(stranger).find("person_id: 'nobody' is not a person of the centre"), std::string::npos);
}

TEST(RecordBody, ADc09UnitIsKnownByAccountAndItsKeyIsNeverReadBack) {
  auto body = R"({"id":"hub-1","person_id":"margaret","kind":"home_hub","protocol":"dc09","account":"ab12",
                  "receiver":"1","line":"2","key_ascii":"AjaxHubKey123456",
                  "zones":[{"zone":5,"type":"fall","location":"bedroom"}]})";
  auto ok = check(record_kind::device, body);
  ASSERT_TRUE(ok.ok()) << fields_of(ok);
  const auto& hub = std::get<device_record>(ok.record);
  ASSERT_TRUE(hub.dc09);
  EXPECT_EQ(hub.dc09->account, "AB12") << "accounts compare as the unit sends them, upper case";
  EXPECT_TRUE(hub.dc09->key_ascii);
  ASSERT_EQ(hub.dc09->zones.size(), 1u);
  EXPECT_EQ(hub.dc09->zones[0].type, alarm_type::fall);
  EXPECT_TRUE(hub.token_hash.empty());
  // What the API answers: that there is a key, never the key.
  auto shown = json::serialize(to_json(hub));
  EXPECT_EQ(shown.find("AjaxHubKey123456"), std::string::npos) << shown;
  EXPECT_NE(shown.find(R"("key_set":true)"), std::string::npos) << shown;
  // Every mistake by its field.
  auto refused = [&](const std::string& text) { return fields_of(check(record_kind::device, text)); };
  auto base = std::string(R"({"id":"hub-1","person_id":"margaret","kind":"home_hub","protocol":"dc09",)");
  EXPECT_NE(refused(base + R"("account":"12"})").find("account: '12' must be 3 to 16 hex digits"), std::string::npos);
  EXPECT_NE(refused(base + R"("account":"12G4"})").find("account:"), std::string::npos);
  EXPECT_NE(refused(base + R"("account":"1234","key":"00112233"})").find("key: must be 32, 48 or 64 hex digits"),
            std::string::npos);
  EXPECT_NE(refused(base + R"("account":"1234","key_ascii":"short"})").find("key_ascii: must be 16, 24 or 32"),
            std::string::npos);
  EXPECT_NE(
      refused(base + R"("account":"1234","key":"00112233445566778899AABBCCDDEEFF","key_ascii":"AjaxHubKey123456"})")
          .find("key: give key (hex) or key_ascii, not both"),
      std::string::npos);
  EXPECT_NE(refused(base + R"("account":"1234","token":"long-enough-token-1"})").find("token: is not used by a DC-09"),
            std::string::npos);
  EXPECT_NE(refused(base + R"("account":"1234","receiver":"xyz"})").find("receiver: must be 1 to 6 hex digits"),
            std::string::npos);
  EXPECT_NE(refused(base + R"("account":"1234","zones":[{"zone":5,"type":"wobble"}]})")
                .find("zones[0].type: 'wobble' is not an alarm type"),
            std::string::npos);
  EXPECT_NE(refused(base + R"("account":"1234","zones":[{"type":"fall"}]})").find("zones[0].zone: is required"),
            std::string::npos);
  EXPECT_NE(refused(base + R"("account":"1234","zones":[{"zone":5,"type":"fall"},{"zone":5,"type":"smoke"}]})")
                .find("zone 5 is listed twice"),
            std::string::npos);
  EXPECT_NE(refused(R"({"id":"d","person_id":"margaret","kind":"x","protocol":"x10","token":"long-enough-token-1"})")
                .find("protocol: 'x10' must be lantern"),
            std::string::npos);
  // An account names one unit.
  auto c = small_centre();
  c.add_device(device_record{"hub-other", "margaret", "home_hub", "", 900, dc09_unit{"AB12", "", "", "", false, {}}});
  auto taken = parse_record_body(record_kind::device, json::parse(body), c, false);
  EXPECT_NE(fields_of(taken).find("account: 'AB12' is already device hub-other's account"), std::string::npos)
      << fields_of(taken);
}

TEST(CentreFileExport, AnExportedCentreReadsBackToTheSameRecordsWithTheSameHashes) {
  auto c = small_centre();
  c.operators["admin"] = operator_account{"admin", "Admin", operator_role::admin, {"en-GB"}, "$argon2id$v=19$m=1$a$b"};
  c.add_device(device_record{"dev-1", "margaret", "pendant", "$argon2id$v=19$m=1$c$d", 60, std::nullopt, "hallway"});
  // A DC-09 hub's key is in the admins' export (it must decrypt after an import), in its form.
  c.add_device(
      device_record{"hub-1", "margaret", "home_hub", "", 900,
                    dc09_unit{"AB12", "1", "", "AjaxHubKey123456", true, {{"5", alarm_type::fall, "bedroom"}}}});
  c.settings.name = "Riverside Telecare";
  c.settings.phone = "+441134960000";
  c.settings.default_instructions[alarm_type::co] = "open a window";
  c.settings.canned_notes = {{"pressed by accident", {alarm_type::pendant}, "false_alarm"}};
  c.settings_given = true;
  auto text = write_centre_file(c);
  auto back = parse_centre_file(text, centre{});
  ASSERT_TRUE(back.ok()) << (back.errors.empty() ? "" : back.errors[0].field + ": " + back.errors[0].message);
  EXPECT_EQ(back.records.operators.at("admin").password_hash, "$argon2id$v=19$m=1$a$b") << "not hashed again";
  EXPECT_EQ(back.records.devices.at("dev-1")->token_hash, "$argon2id$v=19$m=1$c$d");
  EXPECT_EQ(back.records.devices.at("dev-1")->location, "hallway");
  EXPECT_EQ(back.records.persons.at("margaret").plan.hazards, std::vector<std::string>{"dog in the kitchen"});
  EXPECT_EQ(back.records.persons.at("margaret").plan.rules.at(0).carer_instructions, "key safe by the back door");
  const auto& hub = *back.records.devices.at("hub-1");
  ASSERT_TRUE(hub.dc09);
  EXPECT_EQ(hub.dc09->key, "AjaxHubKey123456");
  EXPECT_TRUE(hub.dc09->key_ascii);
  EXPECT_EQ(hub.dc09->zones.at(0).location, "bedroom");
  EXPECT_EQ(back.records.find_dc09_account("AB12")->id, "hub-1");
  EXPECT_EQ(back.records.settings.name, "Riverside Telecare");
  EXPECT_EQ(back.records.settings.default_instructions.at(alarm_type::co), "open a window");
  EXPECT_EQ(write_centre_file(back.records), text);
  // A hash that is not Argon2id is refused, like any other mistake.
  auto bad = text;
  bad.replace(bad.find("$argon2id$v=19$m=1$a$b"), 22, "plain-text-password!!!");
  auto refused = parse_centre_file(bad, centre{});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.errors[0].field, "operators[0] (admin).password_hash");
}

}  // namespace
}  // namespace lantern
