// The centre file: the demo file imports; every kind of mistake is named by record and field.
#include "centre/centre_file.hpp"
#include "centre/secrets.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace lantern {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const std::string demo = read_file(std::string(LANTERN_SOURCE_DIR) + "/deploy/demo-centre.json");

// The demo file with one piece of text replaced.
std::string demo_with(const std::string& from, const std::string& to) {
  auto text = demo;
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string errors_of(const std::string& text) {
  auto result = parse_centre_file(text, centre{});
  std::string all;
  for (const auto& e : result.errors) all += e.field + ": " + e.message + "\n";
  return all;
}

TEST(CentreFile, TheDemoCentreImports) {
  auto result = parse_centre_file(demo, centre{});
  ASSERT_TRUE(result.ok()) << errors_of(demo);
  EXPECT_GE(result.records.persons.size(), 20u);
  const auto& margaret = result.records.persons.at("person-margaret-ellis");
  EXPECT_EQ(margaret.preferred_language, "cy");
  ASSERT_EQ(margaret.plan.responders.size(), 2u);
  EXPECT_EQ(margaret.plan.responders[0], "carer-sarah-ellis");
  ASSERT_NE(margaret.plan.rule_for(alarm_type::fall), nullptr);
  EXPECT_EQ(margaret.plan.escalation.ack_timeout_s, 600);
  EXPECT_EQ(result.records.devices.at("dev-100231")->person_id, "person-margaret-ellis");
  // Margaret's home hub reports over SIA DC-09, encrypted, with a fall detector in zone 5.
  auto hub = result.records.find_dc09_account("4D31");
  ASSERT_TRUE(hub && hub->dc09);
  EXPECT_EQ(hub->id, "hub-margaret");
  EXPECT_EQ(hub->dc09->zones.at(0).type, alarm_type::fall);
}

TEST(CentreFile, HazardsPlacesAndCarersInstructionsAreRead) {
  auto result = parse_centre_file(demo, centre{});
  ASSERT_TRUE(result.ok()) << errors_of(demo);
  const auto& arthur = result.records.persons.at("person-arthur-bennett");
  EXPECT_EQ(arthur.plan.hazards, (std::vector<std::string>{"Dog in the kitchen: friendly but jumps up",
                                                           "Oxygen in use: no naked flames, no smoking"}));
  EXPECT_EQ(result.records.devices.at("hub-margaret")->location, "living room");
  const auto* fall = result.records.persons.at("person-margaret-ellis").plan.rule_for(alarm_type::fall);
  ASSERT_NE(fall, nullptr);
  EXPECT_NE(fall->carer_instructions.find("key safe"), std::string::npos);
  EXPECT_EQ(fall->instructions.find("key safe"), std::string::npos);  // the operator's stay apart
}

TEST(CentreFile, HostileHazardsAreRefusedByField) {
  const std::string cat = R"("Cat (Tibbles) tries to get out: close the door behind you")";
  EXPECT_NE(errors_of(demo_with(R"("hazards": [)", R"("hazards": "dog", "also": [)"))
                .find("(person-margaret-ellis).plan.hazards: must be a list of at most 20 strings"),
            std::string::npos);
  EXPECT_NE(errors_of(demo_with(cat, R"("")")).find("plan.hazards: each entry must be from 1 to 300 characters"),
            std::string::npos);
  EXPECT_NE(errors_of(demo_with(cat, '"' + std::string(301, 'x') + '"'))
                .find("plan.hazards: each entry must be from 1 to 300 characters"),
            std::string::npos);
  std::string many;
  for (int i = 0; i < 20; ++i) many += R"("a", )";
  EXPECT_NE(errors_of(demo_with(cat, many + cat)).find("plan.hazards: must be a list of at most 20"),
            std::string::npos);
  EXPECT_NE(errors_of(demo_with(R"("location": "living room")", R"("location": ")" + std::string(101, 'x') + "\""))
                .find("(hub-margaret).location: must be at most 100 characters"),
            std::string::npos);
}

TEST(CentreFile, TheCentreItselfIsReadWithItsDefaultInstructionsAndStandardNotes) {
  auto result = parse_centre_file(demo, centre{});
  ASSERT_TRUE(result.ok()) << errors_of(demo);
  const auto& s = result.records.settings;
  EXPECT_TRUE(result.records.settings_given);
  EXPECT_EQ(s.name, "Lantern Telecare, Leeds");
  EXPECT_EQ(s.phone, "+441134960000");
  EXPECT_EQ(s.default_language, "en-GB");
  EXPECT_NE(s.default_instructions.at(alarm_type::smoke).find("fire service"), std::string::npos);
  ASSERT_GE(s.canned_notes.size(), 4u);
  EXPECT_EQ(s.canned_notes[0].outcome, "false_alarm");
  EXPECT_EQ(s.canned_notes[0].types, (std::vector<alarm_type>{alarm_type::pendant, alarm_type::pull_cord}));
  // A file without them leaves the stored ones alone.
  auto bare = parse_centre_file(R"({"format": "lantern.centre.v1"})", centre{});
  ASSERT_TRUE(bare.ok());
  EXPECT_FALSE(bare.records.settings_given);
}

TEST(CentreFile, MistakesInTheCentresSettingsAreNamedByField) {
  auto named = [](const std::string& text, const std::string& expected) {
    auto errors = errors_of(text);
    EXPECT_NE(errors.find(expected), std::string::npos) << errors;
  };
  named(demo_with(R"("smoke": "Call the fire)", R"("fal": "x", "smoke": "Call the fire)"),
        "default_instructions: 'fal' is not an alarm type that opens a case");
  named(demo_with(R"("default_instructions": {)", R"("default_instructions": [], "x": {)"),
        "default_instructions: must be an object of at most");
  named(demo_with(R"("outcome": "false_alarm")", R"("outcome": "went_home")"),
        "canned_notes[0].outcome: 'went_home' is not an outcome code");
  named(demo_with(R"("types": [
        "pendant",)",
                  R"("types": [
        "pedant",)"),
        "canned_notes[0].types: 'pedant' is not an alarm type");
  named(demo_with(R"("default_language": "en-GB",
    "time_zone")",
                  R"("default_language": "Welsh!",
    "time_zone")"),
        "centre.default_language: 'Welsh!' is not a language tag");
  named(demo_with(R"("name": "Lantern Telecare, Leeds")", R"("name": "")"), "centre.name: must not be empty");
}

TEST(CentreFile, AnAccountUsedByTwoUnitsIsRefused) {
  auto text = demo_with(R"("account": "A7B2")", R"("account": "4d31")");
  EXPECT_NE(errors_of(text).find("(hub-arthur).account: '4D31' is also device hub-margaret's account"),
            std::string::npos)
      << errors_of(text);
}

TEST(CentreFile, SecretsAreStoredOnlyAsArgon2idHashes) {
  auto result = parse_centre_file(demo, centre{});
  const auto& amira = result.records.operators.at("amira");
  EXPECT_EQ(amira.password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(amira.password_hash.find("lantern-demo-amira"), std::string::npos);
  EXPECT_TRUE(verify_secret(amira.password_hash, "lantern-demo-amira"));
  EXPECT_FALSE(verify_secret(amira.password_hash, "lantern-demo-amirA"));
  const auto& pendant = *result.records.devices.at("dev-100231");
  EXPECT_EQ(pendant.token_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(verify_secret(pendant.token_hash, "demo-token-100231"));
}

TEST(CentreFile, NotJsonIsReportedAsSuch) {
  EXPECT_NE(errors_of("{\"format\": ").find("not valid JSON"), std::string::npos);
}

TEST(CentreFile, TheFormatMustBeNamed) {
  EXPECT_NE(
      errors_of(demo_with("lantern.centre.v1", "lantern.centre.v9")).find("format: must be \"lantern.centre.v1\""),
      std::string::npos);
}

TEST(CentreFile, AnUnknownKeyIsNamedWithItsPath) {
  auto errors = errors_of(demo_with("\"preferred_language\": \"cy\"", "\"prefered_language\": \"cy\""));
  EXPECT_NE(errors.find("persons[0] (person-margaret-ellis).prefered_language: is not a known field"),
            std::string::npos)
      << errors;
  EXPECT_NE(errors.find("persons[0] (person-margaret-ellis).preferred_language: is required"), std::string::npos)
      << errors;
}

TEST(CentreFile, AResponderMustBeAKnownCarer) {
  auto errors = errors_of(demo_with("\"carer-tom-hughes\"\n", "\"carer-nobody\"\n"));
  EXPECT_NE(errors.find("'carer-nobody' is not a carer"), std::string::npos) << errors;
}

TEST(CentreFile, AResponderMayBeACarerAlreadyInTheCentre) {
  centre existing;
  carer nobody;
  nobody.id = "carer-nobody";
  existing.carers[nobody.id] = nobody;
  auto text = demo_with("\"carer-tom-hughes\"\n", "\"carer-nobody\"\n");
  EXPECT_TRUE(parse_centre_file(text, existing).ok());
}

TEST(CentreFile, LanguageTagsAreChecked) {
  auto errors = errors_of(demo_with("\"preferred_language\": \"cy\"", "\"preferred_language\": \"Welsh\""));
  EXPECT_NE(errors.find("preferred_language: 'Welsh' is not a language tag"), std::string::npos) << errors;
}

TEST(CentreFile, TimeZonesMustBeIanaNames) {
  auto errors = errors_of(demo_with("\"time_zone\": \"Europe/London\"", "\"time_zone\": \"Europe/Lundun\""));
  EXPECT_NE(errors.find("time_zone: 'Europe/Lundun' is not an IANA time zone"), std::string::npos) << errors;
  EXPECT_FALSE(is_time_zone("../../etc/passwd"));
  EXPECT_TRUE(is_time_zone("America/New_York"));
}

TEST(CentreFile, AnIdUsedTwiceIsRefused) {
  auto errors = errors_of(demo_with("\"id\": \"dev-100232\"", "\"id\": \"dev-100231\""));
  EXPECT_NE(errors.find("'dev-100231' is used twice"), std::string::npos) << errors;
}

TEST(CentreFile, RolesArePickedFromTheList) {
  auto errors = errors_of(demo_with("\"role\": \"supervisor\"", "\"role\": \"boss\""));
  EXPECT_NE(errors.find("operators[2] (gwen).role: 'boss' must be one of operator, supervisor, admin"),
            std::string::npos)
      << errors;
}

TEST(CentreFile, ShortPasswordsAndTokensAreRefused) {
  EXPECT_NE(errors_of(demo_with("lantern-demo-gwen", "gwen")).find("password: must be at least 12"), std::string::npos);
  EXPECT_NE(errors_of(demo_with("demo-token-100231", "short")).find("token: must be at least 16"), std::string::npos);
}

TEST(CentreFile, ALifeSafetyRuleCannotLowerThePriority) {
  auto errors = errors_of(demo_with("\"type\": \"fall\",\n            \"priority\": \"critical\"",
                                    "\"type\": \"fall\",\n            \"priority\": \"low\""));
  EXPECT_NE(errors.find("never lowered below high"), std::string::npos) << errors;
}

TEST(CentreFile, DatesMustBeRealPastDates) {
  EXPECT_NE(errors_of(demo_with("1941-03-02", "1941-02-30")).find("date_of_birth: '1941-02-30'"), std::string::npos);
  EXPECT_NE(errors_of(demo_with("1941-03-02", "2999-01-01")).find("must be a past date"), std::string::npos);
}

TEST(CentreFile, OutOfRangeNumbersAreNamed) {
  auto errors = errors_of(demo_with("\"ack_timeout_s\": 600", "\"ack_timeout_s\": 5"));
  EXPECT_NE(errors.find("escalation.ack_timeout_s: must be a whole number from 30 to 3600"), std::string::npos)
      << errors;
}

TEST(CentreFile, AllErrorsAreReportedInOnePass) {
  auto text = demo_with("\"role\": \"supervisor\"", "\"role\": \"boss\"");
  auto at = text.find("1941-03-02");
  text.replace(at, 10, "not-a-date");
  auto result = parse_centre_file(text, centre{});
  EXPECT_GE(result.errors.size(), 2u);
}

}  // namespace
}  // namespace lantern
