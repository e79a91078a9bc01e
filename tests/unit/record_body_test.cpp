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
  p.plan.rules = {{alarm_type::fall, priority::critical, "call 999 if head hit", 120}};
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

TEST(CentreFileExport, AnExportedCentreReadsBackToTheSameRecordsWithTheSameHashes) {
  auto c = small_centre();
  c.operators["admin"] = operator_account{"admin", "Admin", operator_role::admin, {"en-GB"}, "$argon2id$v=19$m=1$a$b"};
  c.add_device(device_record{"dev-1", "margaret", "pendant", "$argon2id$v=19$m=1$c$d", 60});
  auto text = write_centre_file(c);
  auto back = parse_centre_file(text, centre{});
  ASSERT_TRUE(back.ok()) << (back.errors.empty() ? "" : back.errors[0].field + ": " + back.errors[0].message);
  EXPECT_EQ(back.records.operators.at("admin").password_hash, "$argon2id$v=19$m=1$a$b") << "not hashed again";
  EXPECT_EQ(back.records.devices.at("dev-1")->token_hash, "$argon2id$v=19$m=1$c$d");
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
