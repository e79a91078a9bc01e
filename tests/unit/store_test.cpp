// The store on a real SQLite file: migrations, centre round trips, the append-only journal.
#include "store/case_store.hpp"
#include "store/centre_store.hpp"
#include "store/database.hpp"
#include "test_database.hpp"

#include <gtest/gtest.h>

#include <sqlite3.h>

namespace lantern {
namespace {

centre sample_centre() {
  centre c;
  c.operators["amira"] =
      operator_account{"amira", "Amira Khan", operator_role::supervisor, {"en-GB", "ur"}, "$argon2id$x"};
  c.carers["sarah"] = carer{"sarah",         "Sarah Ellis", "daughter",      "+447700900123",
                            "s@example.org", {"cy"},        "Europe/London", {{{"mon", "tue"}, "17:30", "08:00"}}};
  person p;
  p.id = "margaret";
  p.name = "Margaret Ellis";
  p.date_of_birth = "1941-03-02";
  p.preferred_language = "cy";
  p.medical_notes = "warfarin";
  p.access = "key safe 4821";
  p.plan.review_due = "2027-01-15";
  p.plan.responders = {"sarah"};
  p.plan.hazards = {"dog in the kitchen", "oxygen in use"};
  p.plan.rules = {{alarm_type::fall, priority::critical, "call 999 if head hit", 120, "let yourself in"},
                  {alarm_type::door, std::nullopt, "she walks at night", std::nullopt}};
  p.plan.escalation = {300, 3};
  c.persons["margaret"] = p;
  c.add_device(device_record{"dev-1", "margaret", "pendant", "$argon2id$y", 900, std::nullopt, "bedroom"});
  c.settings.name = "Riverside Telecare";
  c.settings.default_instructions[alarm_type::smoke] = "fire service first";
  c.settings.canned_notes = {{"pressed by accident", {alarm_type::pendant}, "false_alarm"}};
  c.settings_given = true;
  return c;
}

TEST(Store, AFreshDatabaseIsMigratedToTheLatestSchema) {
  testing::temp_database file;
  auto db = open_database(file.path());
  EXPECT_EQ(schema_version(*db), 0);
  migrate(*db);
  EXPECT_EQ(schema_version(*db), latest_schema_version());
  migrate(*db);  // a second run changes nothing
  EXPECT_EQ(schema_version(*db), latest_schema_version());
}

TEST(Store, ADatabaseFromANewerLanternIsRefused) {
  testing::temp_database file;
  auto db = open_database(file.path());
  db->exec("PRAGMA user_version = 999");
  EXPECT_THROW(migrate(*db), std::runtime_error);
}

TEST(Store, DurabilitySettingsAreOn) {
  testing::temp_database file;
  auto db = open_database(file.path());
  EXPECT_EQ(db->execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(db->execAndGet("PRAGMA synchronous").getInt(), 2) << "FULL";
}

// A connection shared between threads keeps SQLite's lock; one a single thread uses (the
// journal's writer) goes without it, with the same durability.
TEST(Store, OnlyAConnectionForOneThreadGoesWithoutSqlitesLock) {
  testing::temp_database file;
  auto shared = open_database(file.path());
  auto own = open_database(file.path(), wal_writes::gathered, connection_use::one_thread);
  EXPECT_NE(sqlite3_db_mutex(shared->getHandle()), nullptr);
  EXPECT_EQ(sqlite3_db_mutex(own->getHandle()), nullptr);
  EXPECT_EQ(own->execAndGet("PRAGMA synchronous").getInt(), 2) << "FULL";
  migrate(*own);
  EXPECT_EQ(schema_version(*shared), latest_schema_version()) << "the two see one file";
}

TEST(Store, TheCentreRoundTripsThroughTheDatabase) {
  testing::temp_database file;
  auto db = open_database(file.path());
  migrate(*db);
  save_centre(*db, sample_centre(), "test");
  auto loaded = load_centre(*db);
  const auto& m = loaded.persons.at("margaret");
  EXPECT_EQ(m.name, "Margaret Ellis");
  EXPECT_EQ(m.access, "key safe 4821");
  EXPECT_EQ(m.plan.responders, std::vector<std::string>{"sarah"});
  ASSERT_EQ(m.plan.rules.size(), 2u);
  EXPECT_EQ(m.plan.rule_for(alarm_type::fall)->priority_override, priority::critical);
  EXPECT_FALSE(m.plan.rule_for(alarm_type::door)->priority_override.has_value());
  EXPECT_EQ(m.plan.escalation.ack_timeout_s, 300);
  EXPECT_EQ(m.plan.escalation.passes, 3);
  EXPECT_EQ(m.plan.hazards, (std::vector<std::string>{"dog in the kitchen", "oxygen in use"}));
  EXPECT_EQ(m.plan.rule_for(alarm_type::fall)->carer_instructions, "let yourself in");
  EXPECT_EQ(m.plan.rule_for(alarm_type::door)->carer_instructions, "");
  const auto& s = loaded.carers.at("sarah");
  ASSERT_EQ(s.availability.size(), 1u);
  EXPECT_EQ(s.availability[0].days, (std::vector<std::string>{"mon", "tue"}));
  EXPECT_EQ(s.availability[0].to, "08:00");
  EXPECT_EQ(loaded.operators.at("amira").role, operator_role::supervisor);
  EXPECT_EQ(loaded.operators.at("amira").languages, (std::vector<std::string>{"en-GB", "ur"}));
  EXPECT_EQ(loaded.devices.at("dev-1")->person_id, "margaret");
  EXPECT_EQ(loaded.devices.at("dev-1")->location, "bedroom");
  EXPECT_TRUE(loaded.settings_given);
  EXPECT_EQ(loaded.settings.name, "Riverside Telecare");
  EXPECT_EQ(loaded.settings.default_instructions.at(alarm_type::smoke), "fire service first");
  ASSERT_EQ(loaded.settings.canned_notes.size(), 1u);
  EXPECT_EQ(loaded.settings.canned_notes[0].types, std::vector<alarm_type>{alarm_type::pendant});
  EXPECT_EQ(loaded.settings.canned_notes[0].outcome, "false_alarm");
}

TEST(Store, ImportingAgainUpdatesRecordsById) {
  testing::temp_database file;
  auto db = open_database(file.path());
  migrate(*db);
  auto c = sample_centre();
  save_centre(*db, c, "test");
  c.persons["margaret"].medical_notes = "warfarin stopped in November";
  c.persons["margaret"].plan.rules.pop_back();
  save_centre(*db, c, "test");
  auto loaded = load_centre(*db);
  EXPECT_EQ(loaded.persons.size(), 1u);
  EXPECT_EQ(loaded.persons.at("margaret").medical_notes, "warfarin stopped in November");
  EXPECT_EQ(loaded.persons.at("margaret").plan.rules.size(), 1u);
  EXPECT_EQ(db->execAndGet("SELECT version FROM persons WHERE id = 'margaret'").getInt(), 2);
  EXPECT_EQ(db->execAndGet("SELECT count(*) FROM events WHERE kind = 'centre_import'").getInt(), 2);
}

TEST(Store, EventsCannotBeChangedOrDeleted) {
  testing::temp_database file;
  auto db = open_database(file.path());
  migrate(*db);
  save_centre(*db, sample_centre(), "test");
  EXPECT_THROW(db->exec("UPDATE events SET actor = 'someone else'"), SQLite::Exception);
  EXPECT_THROW(db->exec("DELETE FROM events"), SQLite::Exception);
  EXPECT_EQ(db->execAndGet("SELECT actor FROM events").getString(), "test");
}

TEST(Store, AFailedImportChangesNothing) {
  testing::temp_database file;
  auto db = open_database(file.path());
  migrate(*db);
  auto c = sample_centre();
  c.add_device(device_record{"dev-2", "nobody", "pendant", "$argon2id$z", 900});  // foreign key fails
  EXPECT_THROW(save_centre(*db, c, "test"), SQLite::Exception);
  EXPECT_EQ(db->execAndGet("SELECT count(*) FROM persons").getInt(), 0);
  EXPECT_EQ(db->execAndGet("SELECT count(*) FROM events").getInt(), 0);
}

}  // namespace
}  // namespace lantern
