// The case state machine: every command allowed and refused, by state and by role. Time
// arrives with each event: no clock, no sleeps.
#include "desk/case_rules.hpp"
#include "desk/desk.hpp"

#include <gtest/gtest.h>

namespace lantern {
namespace {

operator_account account(const std::string& username, operator_role role, std::vector<std::string> languages = {"en"}) {
  return {username, username + " Name", role, std::move(languages), ""};
}

centre workflow_centre() {
  centre c;
  for (auto a : {account("amira", operator_role::operator_, {"en-GB", "ar"}),
                 account("olu", operator_role::operator_, {"en-GB"}), account("gwen", operator_role::supervisor),
                 account("admin", operator_role::admin)})
    c.operators[a.username] = a;
  person ann;
  ann.id = "ann";
  ann.name = "Ann Jones";
  ann.preferred_language = "cy";
  ann.access = "key safe 1234";
  ann.plan.responders = {"sarah"};
  c.persons["ann"] = ann;
  carer sarah;
  sarah.id = "sarah";
  sarah.name = "Sarah Jones";
  sarah.relationship = "daughter";
  c.carers["sarah"] = sarah;
  return c;
}

class CaseWorkflow : public ::testing::Test {
 protected:
  std::int64_t open_case(std::int64_t at_ms = 1000, alarm_type type = alarm_type::pendant) {
    alarm_event e;
    e.event_id = ++last_event_id;
    e.device_id = "dev-ann";
    e.person_id = "ann";
    e.type = type;
    e.received_at_ms = at_ms;
    return floor.apply(e)->case_id;
  }

  // What the hub does: check, then (once durable) execute. The refusal, or "" when done.
  std::string give(const std::string& actor, case_command command, std::int64_t at_ms = 2000) {
    if (auto refused = floor.check(command, actor, at_ms)) return refused->reason;
    EXPECT_NE(floor.execute({++last_event_id, at_ms, actor, command, 0}), nullptr);
    return "";
  }
  static case_command cmd(command_kind kind, std::int64_t case_id) {
    return {kind, case_id, "", "", "", "", "", "", "", "", {}};
  }
  static case_command note(std::int64_t case_id, std::string text) {
    auto c = cmd(command_kind::note, case_id);
    c.note = std::move(text);
    return c;
  }
  static case_command resolve(std::int64_t case_id, std::string outcome, std::string text) {
    auto c = cmd(command_kind::resolve, case_id);
    c.outcome = std::move(outcome);
    c.note = std::move(text);
    return c;
  }
  static case_command contact(std::int64_t case_id, std::string who, std::string carer, std::string how,
                              std::string result) {
    auto c = cmd(command_kind::contact, case_id);
    c.who = std::move(who);
    c.carer_id = std::move(carer);
    c.how = std::move(how);
    c.result = std::move(result);
    return c;
  }
  static case_command reassign(std::int64_t case_id, std::string to) {
    auto c = cmd(command_kind::reassign, case_id);
    c.to = std::move(to);
    return c;
  }
  const case_record& at(std::int64_t id) { return *floor.find(id); }

  centre records = workflow_centre();
  desk floor{records, desk_settings{20'000, 60 * 60'000}};
  std::int64_t last_event_id = 0;
};

TEST_F(CaseWorkflow, AcceptGivesTheCaseOneOwnerAndRecordsTheAnswerTime) {
  auto id = open_case(1000);
  EXPECT_EQ(give("amira", cmd(command_kind::accept, id), 4000), "");
  EXPECT_EQ(at(id).state, case_state::accepted);
  EXPECT_EQ(at(id).owner, "amira");
  EXPECT_EQ(at(id).answered_at_ms, 4000);
  EXPECT_EQ(at(id).timeline.back().kind, "accept");
  EXPECT_EQ(at(id).timeline.back().actor, "amira");
}

TEST_F(CaseWorkflow, ASecondAcceptIsRefusedNamingTheOwner) {
  auto id = open_case();
  give("amira", cmd(command_kind::accept, id));
  EXPECT_EQ(give("olu", cmd(command_kind::accept, id)), "already accepted by amira Name");
  EXPECT_EQ(give("amira", cmd(command_kind::accept, id)), "you have already accepted case 1");
  EXPECT_EQ(at(id).owner, "amira");
}

TEST_F(CaseWorkflow, ReleasePutsTheCaseBackInTheQueueButKeepsTheFirstAnswerTime) {
  auto id = open_case(1000);
  give("amira", cmd(command_kind::accept, id), 3000);
  EXPECT_EQ(give("olu", cmd(command_kind::release, id)), "case 1 is accepted by amira Name, not you");
  EXPECT_EQ(give("amira", cmd(command_kind::release, id), 5000), "");
  EXPECT_EQ(at(id).state, case_state::queued);
  EXPECT_EQ(at(id).owner, "");
  EXPECT_EQ(give("amira", cmd(command_kind::release, id)), "case 1 is in the queue: accept it first");
  give("olu", cmd(command_kind::accept, id), 9000);
  EXPECT_EQ(at(id).answered_at_ms, 3000);
}

TEST_F(CaseWorkflow, ANoteNeedsTextAndGoesOnTheTimeline) {
  auto id = open_case();
  EXPECT_EQ(give("olu", note(id, "   ")), "a note needs some text");
  EXPECT_EQ(give("olu", note(id, std::string(max_note_length + 1, 'x'))),
            "a note is too long (at most 4000 characters)");
  EXPECT_EQ(give("olu", note(id, "Daughter rang: she is on her way")), "");
  EXPECT_EQ(at(id).timeline.back().text, "Daughter rang: she is on her way");
}

TEST_F(CaseWorkflow, AContactNamesWhoHowAndTheResult) {
  auto id = open_case();
  EXPECT_EQ(give("amira", contact(id, "person", "", "phone", "answered")), "case 1 is in the queue: accept it first");
  give("amira", cmd(command_kind::accept, id));
  EXPECT_EQ(give("amira", contact(id, "neighbour", "", "phone", "answered")),
            "unknown who 'neighbour': one of person, responder, emergency_services");
  EXPECT_EQ(give("amira", contact(id, "responder", "", "phone", "answered")),
            "carer_id is required when contacting a responder");
  EXPECT_EQ(give("amira", contact(id, "responder", "nobody", "phone", "answered")),
            "carer 'nobody' is not a responder in this person's plan");
  EXPECT_EQ(give("amira", contact(id, "person", "", "pigeon", "answered")),
            "unknown how 'pigeon': one of phone, sms, email");
  EXPECT_EQ(give("amira", contact(id, "person", "", "phone", "")),
            "result is required: one of answered, no_answer, voicemail, wrong_number");
  EXPECT_EQ(give("amira", contact(id, "responder", "sarah", "phone", "no_answer")), "");
  EXPECT_EQ(at(id).timeline.back().text, "Contacted Sarah Jones (daughter) by phone: no answer");
}

TEST_F(CaseWorkflow, EscalateMarksTheCaseOnce) {
  auto id = open_case();
  give("amira", cmd(command_kind::accept, id));
  EXPECT_EQ(give("amira", cmd(command_kind::escalate, id), 7000), "");
  EXPECT_EQ(at(id).state, case_state::escalated);
  EXPECT_EQ(at(id).escalated_at_ms, 7000);
  EXPECT_EQ(give("amira", cmd(command_kind::escalate, id)), "case 1 is already escalated");
}

TEST_F(CaseWorkflow, ResolveNeedsAKnownOutcomeAndANote) {
  auto id = open_case();
  give("amira", cmd(command_kind::accept, id));
  EXPECT_EQ(give("amira", resolve(id, "", "fine")),
            "outcome is required: one of false_alarm, resolved_by_phone, "
            "carer_attended, ambulance_called, fire_service_called, "
            "police_called, responder_sent, technical_issue");
  EXPECT_EQ(give("amira", resolve(id, "went_home", "fine")).substr(0, 27), "unknown outcome 'went_home'");
  EXPECT_EQ(give("amira", resolve(id, "false_alarm", "")), "a resolution note needs some text");
  EXPECT_EQ(give("olu", resolve(id, "false_alarm", "pressed by accident")),
            "case 1 is accepted by amira Name, not you");
  EXPECT_EQ(give("amira", resolve(id, "false_alarm", "pressed by accident"), 9000), "");
  EXPECT_EQ(at(id).state, case_state::resolved);
  EXPECT_EQ(at(id).outcome, "false_alarm");
  EXPECT_TRUE(floor.queue().empty());
  ASSERT_EQ(floor.history_of("ann").size(), 1u);
  EXPECT_EQ(floor.history_of("ann")[0].outcome, "false_alarm");
}

TEST_F(CaseWorkflow, AResolvedCaseTakesNoCommandButReopen) {
  auto id = open_case();
  give("amira", cmd(command_kind::accept, id));
  give("amira", resolve(id, "resolved_by_phone", "all well"), 10'000);
  EXPECT_EQ(give("olu", cmd(command_kind::accept, id)), "case 1 is resolved: reopen it first");
  EXPECT_EQ(give("olu", note(id, "late note")), "case 1 is resolved: reopen it first");
  EXPECT_EQ(give("olu", cmd(command_kind::reopen, id), 20'000), "");
  EXPECT_EQ(at(id).state, case_state::accepted);
  EXPECT_EQ(at(id).owner, "olu");
  EXPECT_EQ(at(id).outcome, "");
  EXPECT_TRUE(floor.history_of("ann").empty());
  EXPECT_EQ(floor.queue().size(), 1u);
  EXPECT_EQ(give("olu", cmd(command_kind::reopen, id)), "case 1 is not resolved");
}

TEST_F(CaseWorkflow, ReopenIsRefusedAfterTheWindow) {
  auto id = open_case();
  give("amira", cmd(command_kind::accept, id));
  give("amira", resolve(id, "false_alarm", "oops"), 10'000);
  EXPECT_EQ(give("amira", cmd(command_kind::reopen, id), 10'000 + 60 * 60'000 + 1),
            "case 1 was resolved more than 60 minutes ago and is closed");
}

TEST_F(CaseWorkflow, ARepeatAlarmAfterResolveOpensANewCase) {
  auto id = open_case(1000);
  give("amira", cmd(command_kind::accept, id));
  give("amira", resolve(id, "false_alarm", "oops"));
  EXPECT_NE(open_case(5000), id);
}

TEST_F(CaseWorkflow, SupervisorsReassignAndOperatorsMayNot) {
  auto id = open_case();
  give("amira", cmd(command_kind::accept, id));
  EXPECT_EQ(give("olu", reassign(id, "olu")), "your role (operator) may not reassign cases");
  EXPECT_EQ(give("gwen", reassign(id, "nobody")), "no operator 'nobody'");
  EXPECT_EQ(give("gwen", reassign(id, "admin")), "admin Name does not work cases (admin account)");
  EXPECT_EQ(give("gwen", reassign(id, "amira")), "case 1 is already accepted by amira Name");
  auto takeover = reassign(id, "gwen");
  takeover.reason = "needs a Welsh speaker";
  EXPECT_EQ(give("gwen", takeover), "");
  EXPECT_EQ(at(id).owner, "gwen");
  // Amira's console reads who took it and why from the timeline.
  EXPECT_EQ(at(id).timeline.back().text, "taken over from amira Name: needs a Welsh speaker");
  EXPECT_EQ(give("gwen", reassign(id, "olu")), "");
  EXPECT_EQ(at(id).owner, "olu");
  EXPECT_EQ(at(id).timeline.back().text, "to olu Name");
  auto rambling = reassign(id, "amira");
  rambling.reason = std::string(4001, 'x');
  EXPECT_EQ(give("gwen", rambling), "the reason is too long (at most 4000 characters)");
  EXPECT_EQ(at(id).owner, "olu");
}

TEST_F(CaseWorkflow, ASupervisorMayReleaseAnyonesCase) {
  auto id = open_case();
  give("amira", cmd(command_kind::accept, id));
  EXPECT_EQ(give("gwen", cmd(command_kind::release, id)), "");
  EXPECT_EQ(at(id).state, case_state::queued);
}

TEST_F(CaseWorkflow, AdminsDoNotWorkCases) {
  auto id = open_case();
  for (auto kind : {command_kind::accept, command_kind::note, command_kind::release, command_kind::resolve})
    EXPECT_EQ(give("admin", cmd(kind, id)), "your role (admin) may not " + std::string(to_string(kind)) + " cases");
  EXPECT_EQ(at(id).state, case_state::queued);
}

TEST_F(CaseWorkflow, AnUnknownCaseOrOperatorIsRefused) {
  EXPECT_EQ(give("amira", cmd(command_kind::accept, 99)), "no open or recently resolved case 99");
  auto id = open_case();
  EXPECT_EQ(give("mallory", cmd(command_kind::accept, id)), "unknown operator 'mallory'");
}

TEST_F(CaseWorkflow, ARefusedCommandChangesNothing) {
  auto id = open_case();
  give("amira", cmd(command_kind::accept, id));
  auto before = at(id);
  give("olu", cmd(command_kind::accept, id));
  give("olu", resolve(id, "false_alarm", "x"));
  give("amira", resolve(id, "nonsense", "x"));
  EXPECT_EQ(at(id).timeline.size(), before.timeline.size());
  EXPECT_EQ(at(id).state, before.state);
  EXPECT_EQ(at(id).owner, before.owner);
}

TEST_F(CaseWorkflow, DeviceRepeatsAndCancelsGoOnTheTimeline) {
  auto id = open_case(1000);
  open_case(2000);
  alarm_event cancel;
  cancel.event_id = ++last_event_id;
  cancel.person_id = "ann";
  cancel.type = alarm_type::cancel;
  cancel.received_at_ms = 3000;
  floor.apply(cancel);
  ASSERT_EQ(at(id).timeline.size(), 3u);
  EXPECT_EQ(at(id).timeline[0].kind, "alarm");
  EXPECT_EQ(at(id).timeline[1].kind, "repeat");
  EXPECT_EQ(at(id).timeline[2].kind, "cancelled_at_unit");
}

TEST_F(CaseWorkflow, TheHistoryKeepsTheLastTenResolvedCasesNewestFirst) {
  for (int i = 0; i < 12; ++i) {
    auto id = open_case(1000 * (i + 1));
    give("amira", cmd(command_kind::accept, id));
    give("amira", resolve(id, i == 11 ? "ambulance_called" : "false_alarm", "n"));
  }
  auto history = floor.history_of("ann");
  ASSERT_EQ(history.size(), desk::history_length);
  EXPECT_EQ(history[0].outcome, "ambulance_called");
  EXPECT_EQ(history[0].case_id, 12);
}

// Routing: language first, everyone after the window.
TEST_F(CaseWorkflow, ACaseIsOfferedFirstToReadySpeakersOfTheLanguage) {
  records.operators["gwen"].languages = {"cy-GB"};
  floor.set_presence("gwen", presence::ready);
  auto id = open_case(1000);
  EXPECT_EQ(at(id).language, "cy");
  EXPECT_EQ(at(id).language_first_until_ms, 21'000);
}

TEST_F(CaseWorkflow, WithNoReadySpeakerACaseGoesToEveryoneAtOnce) {
  records.operators["gwen"].languages = {"cy"};
  floor.set_presence("gwen", presence::on_break);
  floor.set_presence("amira", presence::ready);
  auto id = open_case(1000);
  EXPECT_EQ(at(id).language_first_until_ms, 1000);
}

TEST(Routing, LanguageTagsMatchOnTheirPrimarySubtag) {
  EXPECT_TRUE(speaks({"cy"}, "cy-GB"));
  EXPECT_TRUE(speaks({"en-GB", "pa-Guru-IN"}, "pa"));
  EXPECT_FALSE(speaks({"en-GB"}, "cy"));
  EXPECT_FALSE(speaks({}, "en"));
}

TEST(Routing, AnAdminWhoSpeaksTheLanguageIsNotAnOffer) {
  centre records = workflow_centre();
  records.operators["admin"].languages = {"cy"};
  floor_presence floor{{"admin", presence::ready}};
  EXPECT_EQ(language_first_until("cy", floor, records, 5000, 20'000), 5000);
}

}  // namespace
}  // namespace lantern
