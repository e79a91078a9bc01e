// Escalation to carers through the desk, with a fake clock: order, timeouts, declines, failed
// deliveries, skipping by availability (in the carer's own time zone, across both
// daylight-saving changes), passes, hand-back, the arrival watch and the chain snapshot.
#include "desk/availability.hpp"
#include "desk/desk.hpp"
#include "desk/escalation_chain.hpp"
#include "escalation/escalation_json.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace lantern {
namespace {

constexpr std::int64_t minute = 60'000;
// Wednesday 2026-01-14 12:00 UTC (also 12:00 in London: GMT).
constexpr std::int64_t noon = 1'768'392'000'000;

carer make_carer(const std::string& id, const std::string& name, std::vector<availability_window> windows = {}) {
  return carer{id, name, "friend", "+447700900001", id + "@example.org", {"en"}, "Europe/London", std::move(windows)};
}

class Escalation : public ::testing::Test {
 protected:
  Escalation() {
    records.operators["amira"] = {"amira", "Amira Khan", operator_role::operator_, {"en"}, ""};
    person ann;
    ann.id = "ann";
    ann.name = "Ann Jones";
    ann.plan.responders = {"sarah", "tom", "priya"};
    ann.plan.escalation = {600, 2};
    records.persons["ann"] = ann;
    for (auto c :
         {make_carer("sarah", "Sarah Jones"), make_carer("tom", "Tom Jones"), make_carer("priya", "Priya Shah")})
      records.carers[c.id] = c;
  }

  // A fall, accepted by Amira and escalated by her at `at`.
  void escalated_case(std::int64_t at = noon, alarm_type type = alarm_type::fall) {
    alarm_event e;
    e.event_id = ++event_id;
    e.device_id = "dev-ann";
    e.person_id = "ann";
    e.type = type;
    e.received_at_ms = at - minute;
    case_id = floor->apply(e)->case_id;
    ASSERT_EQ(give("amira", op(command_kind::accept), at - minute / 2), "");
    ASSERT_EQ(give("amira", op(command_kind::escalate), at), "");
  }

  case_command op(command_kind kind) {
    case_command c;
    c.kind = kind;
    c.case_id = case_id;
    return c;
  }

  case_command step(command_kind kind, int attempt) {
    auto c = op(kind);
    c.step.attempt = attempt;
    return c;
  }

  case_command reply(int attempt, const std::string& what, int eta_min = 0, const std::string& note = "") {
    auto c = step(command_kind::responder_reply, attempt);
    c.step.reply = what;
    c.step.eta_min = eta_min;
    c.note = note;
    return c;
  }

  case_command delivery(int attempt, const std::string& channel, bool ok) {
    auto c = step(command_kind::delivery, attempt);
    c.step.channel = channel;
    c.step.delivered = ok;
    c.note = ok ? "sent" : "the message gateway answered with an error (HTTP 500), 3 times";
    return c;
  }

  case_command link(int attempt, std::vector<std::string> channels) {
    auto c = step(command_kind::link_issued, attempt);
    c.step.channels = std::move(channels);
    c.step.link_id = "id" + std::to_string(attempt);
    c.step.link_hash = "$argon2id$x";
    c.step.link_expires_at_ms = noon + 12 * 60 * minute;
    return c;
  }

  // What the hub does: check, then (once durable) execute. The refusal, or "" when done.
  std::string give(const std::string& actor, case_command command, std::int64_t at) {
    if (auto refused = floor->check(command, actor, at)) return refused->reason;
    EXPECT_NE(floor->execute({++event_id, at, actor, command, 0}), nullptr);
    return "";
  }

  // Runs the server's due steps at `at`, as its once-a-second tick does.
  void tick(std::int64_t at) {
    for (auto& due : due_steps(the_case(), at)) EXPECT_EQ(give(system_actor, due, at), "");
  }

  const case_record& the_case() const { return *floor->find(case_id); }
  const escalation_record& chain() const { return the_case().escalation; }
  std::vector<std::string> tried() const {
    std::vector<std::string> out;
    for (const auto& a : chain().attempts) out.push_back(a.carer_id + ":" + std::string(to_string(a.state)));
    return out;
  }
  bool timeline_says(const std::string& text) const {
    for (const auto& line : the_case().timeline)
      if (line.text.find(text) != std::string::npos) return true;
    return false;
  }

  centre records;
  std::unique_ptr<desk> floor = std::make_unique<desk>(records);
  std::int64_t event_id = 0;
  std::int64_t case_id = 0;
};

TEST_F(Escalation, NotifiesThePlansRespondersInOrderEachWithThePlansTimeout) {
  escalated_case();
  EXPECT_EQ(chain().status, escalation_status::calling);
  EXPECT_EQ(tried(), (std::vector<std::string>{"sarah:notified"}));
  EXPECT_EQ(chain().attempts[0].reply_by_ms, noon + 10 * minute);
  EXPECT_TRUE(timeline_says("Notifying Sarah Jones (friend), pass 1 of 2: 10 min to reply"));

  tick(noon + 10 * minute - 1);  // not yet
  EXPECT_EQ(tried(), (std::vector<std::string>{"sarah:notified"}));
  tick(noon + 10 * minute);
  EXPECT_EQ(tried(), (std::vector<std::string>{"sarah:timed_out", "tom:notified"}));
  EXPECT_EQ(chain().attempts[1].reply_by_ms, noon + 20 * minute);
  EXPECT_TRUE(timeline_says("Sarah Jones (friend) did not reply within 10 min"));
}

TEST_F(Escalation, ADeclineMovesOnAtOnce) {
  escalated_case();
  EXPECT_EQ(give(carer_actor("sarah"), reply(1, "cant"), noon + minute), "");
  EXPECT_EQ(tried(), (std::vector<std::string>{"sarah:declined", "tom:notified"}));
  EXPECT_EQ(chain().attempts[1].notified_at_ms, noon + minute);
}

TEST_F(Escalation, AFailedDeliveryMovesOnOnceEveryChannelHasFailed) {
  escalated_case();
  EXPECT_EQ(give(system_actor, link(1, {"email", "webhook"}), noon), "");
  EXPECT_EQ(give(system_actor, delivery(1, "email", false), noon + 1000), "");
  EXPECT_EQ(tried(), (std::vector<std::string>{"sarah:notified"}));  // the webhook may still get through
  EXPECT_EQ(give(system_actor, delivery(1, "webhook", false), noon + 2000), "");
  EXPECT_EQ(tried(), (std::vector<std::string>{"sarah:undeliverable", "tom:notified"}));
  EXPECT_TRUE(timeline_says("Message through the gateway to Sarah Jones (friend) could not be delivered: the message "
                            "gateway answered with an error (HTTP 500), 3 times"));

  // One channel through is enough: Tom stays asked.
  EXPECT_EQ(give(system_actor, link(2, {"email", "webhook"}), noon + 2000), "");
  EXPECT_EQ(give(system_actor, delivery(2, "email", true), noon + 3000), "");
  EXPECT_EQ(give(system_actor, delivery(2, "webhook", false), noon + 4000), "");
  EXPECT_EQ(tried(), (std::vector<std::string>{"sarah:undeliverable", "tom:notified"}));
}

TEST_F(Escalation, ACarerWithNoChannelIsPassedOverAtOnce) {
  escalated_case();
  EXPECT_EQ(give(system_actor, link(1, {}), noon), "");
  EXPECT_EQ(tried(), (std::vector<std::string>{"sarah:undeliverable", "tom:notified"}));
  EXPECT_TRUE(timeline_says("no way to reach Sarah Jones (friend)"));
}

TEST_F(Escalation, CarersOutsideTheirAvailabilityAreSkippedAndTheSkipIsRecorded) {
  // Sarah works days; noon on a Wednesday is outside her evening window.
  records.carers["sarah"].availability = {{{"mon", "tue", "wed", "thu", "fri"}, "18:00", "23:00"}};
  escalated_case();
  EXPECT_EQ(tried(), (std::vector<std::string>{"tom:notified"}));
  const std::string why =
      "Skipped Sarah Jones (friend): outside Sarah Jones's calling hours (Mon\u2013Fri 18:00\u201323:00, "
      "Europe/London)";
  EXPECT_TRUE(timeline_says(why));

  // Every pass skips her again, but the timeline says so once.
  auto at = noon;
  for (int i = 0; i < 6; ++i) tick(at += 10 * minute);
  EXPECT_EQ(chain().status, escalation_status::handed_back);
  EXPECT_EQ(std::count_if(the_case().timeline.begin(), the_case().timeline.end(),
                          [&](const auto& line) { return line.text == why; }),
            1);
}

TEST_F(Escalation, AvailabilityIsDescribedAsPeopleWriteItAndItsNextChangeIsKnown) {
  auto& sarah = records.carers["sarah"];
  sarah.availability = {{{"sat", "sun", "wed"}, "09:00", "12:00"}, {{"mon", "tue", "wed", "thu"}, "22:00", "06:00"}};
  EXPECT_EQ(describe_availability(sarah),
            "Wed, Sat, Sun 09:00\u201312:00; Mon\u2013Thu 22:00\u201306:00, Europe/London");
  // A Wednesday in January (London is on UTC): her morning window ends at noon, and her
  // night window starts at 22:00.
  EXPECT_TRUE(is_available(sarah, noon - 90 * minute));
  EXPECT_EQ(next_availability_change(sarah, noon - 90 * minute), noon);
  EXPECT_FALSE(is_available(sarah, noon));
  EXPECT_EQ(next_availability_change(sarah, noon), noon + 10 * 60 * minute);
  sarah.availability.clear();
  EXPECT_EQ(next_availability_change(sarah, noon), 0);
}

TEST_F(Escalation, AfterEveryPassItHandsTheCaseBackRaisedAndNeverEndsSilently) {
  escalated_case(noon, alarm_type::pendant);
  ASSERT_EQ(the_case().level, priority::high);
  auto at = noon;
  for (int i = 0; i < 6; ++i) {
    at += 10 * minute;
    tick(at);
  }
  EXPECT_EQ(chain().attempts.size(), 6u);  // three responders, two passes
  EXPECT_EQ(chain().attempts[3].carer_id, "sarah");
  EXPECT_EQ(chain().attempts[3].pass, 2);
  EXPECT_EQ(chain().status, escalation_status::handed_back);
  EXPECT_EQ(the_case().state, case_state::accepted);  // back with Amira
  EXPECT_EQ(the_case().level, priority::critical);
  EXPECT_EQ(the_case().attention, "No responder reached after 2 passes: back to the operators");
  EXPECT_TRUE(due_steps(the_case(), at + 60 * minute).empty());

  // Amira acts on it: the flag clears.
  auto note = op(command_kind::note);
  note.note = "calling 999";
  EXPECT_EQ(give("amira", note, at + minute), "");
  EXPECT_EQ(the_case().attention, "");
}

TEST_F(Escalation, TheChainIsTheOneThePlanHadWhenItStarted) {
  escalated_case();
  records.persons["ann"].plan.responders = {"priya"};  // edited while Sarah is being asked
  tick(noon + 10 * minute);
  EXPECT_EQ(tried(), (std::vector<std::string>{"sarah:timed_out", "tom:notified"}));
}

TEST_F(Escalation, GoingThenArrivedThenDoneWithANote) {
  escalated_case();
  EXPECT_EQ(give(carer_actor("sarah"), reply(1, "arrived"), noon), "say \"I'm going\" first");
  EXPECT_EQ(give(carer_actor("sarah"), reply(1, "going", 15), noon + minute), "");
  EXPECT_EQ(chain().status, escalation_status::responder_going);
  EXPECT_EQ(chain().attempts[0].eta_at_ms, noon + 16 * minute);
  EXPECT_TRUE(timeline_says("Sarah Jones (friend) is going: there in about 15 min"));
  tick(noon + 11 * minute);  // past her reply deadline: no timeout, she is on her way
  EXPECT_EQ(tried(), (std::vector<std::string>{"sarah:going"}));
  EXPECT_EQ(give(carer_actor("sarah"), reply(1, "arrived"), noon + 20 * minute), "");
  EXPECT_EQ(give(carer_actor("sarah"), reply(1, "done"), noon + 40 * minute),
            "a note is needed: how is the person, what did you do?");
  EXPECT_EQ(give(carer_actor("sarah"), reply(1, "done", 0, "She is fine, back in bed"), noon + 40 * minute), "");
  EXPECT_EQ(chain().status, escalation_status::done);
  EXPECT_TRUE(timeline_says("Sarah Jones (friend) is done: She is fine, back in bed"));
}

TEST_F(Escalation, NoArrivalByTheEtaPlusGraceRaisesTheCaseAgainOnce) {
  escalated_case();
  EXPECT_EQ(give(carer_actor("sarah"), reply(1, "going", 15), noon), "");
  tick(noon + 25 * minute - 1);  // ETA 15 min + 10 min grace
  EXPECT_EQ(the_case().attention, "");
  tick(noon + 25 * minute);
  EXPECT_EQ(the_case().attention, "Sarah Jones (friend) has not arrived by the time promised: check on the person");
  EXPECT_TRUE(due_steps(the_case(), noon + 30 * minute).empty());  // raised once, not every second
}

TEST_F(Escalation, ALateYesStillCountsAndWhoeverIsAskedNowIsStoodDown) {
  escalated_case();
  tick(noon + 10 * minute);  // Sarah timed out; Tom is asked
  EXPECT_EQ(give(carer_actor("sarah"), reply(1, "going", 10), noon + 11 * minute), "");
  EXPECT_EQ(tried(), (std::vector<std::string>{"sarah:going", "tom:cancelled"}));
  EXPECT_EQ(give(carer_actor("tom"), reply(2, "going", 5), noon + 12 * minute),
            "another carer is already on the way: thank you");
}

TEST_F(Escalation, ACarerAnswersOnlyForTheirOwnAttempt) {
  escalated_case();
  EXPECT_EQ(give(carer_actor("tom"), reply(1, "going", 10), noon), "this link is for another carer");
  EXPECT_EQ(give(carer_actor("sarah"), reply(1, "maybe"), noon),
            "reply must be going, cant, arrived or done, not 'maybe'");
  EXPECT_EQ(give(carer_actor("sarah"), reply(1, "going", 0), noon), "eta_min must be 1 to 240 minutes");
  EXPECT_EQ(give(carer_actor("sarah"), reply(7, "going", 10), noon), "no responder attempt 7 on this case");
  EXPECT_EQ(give("amira", reply(1, "going", 10), noon), "this link is for another carer");
  // The server's own steps come only from the server.
  EXPECT_EQ(give("amira", step(command_kind::responder_timeout, 1), noon + 11 * minute),
            "only the server records this step");
}

TEST_F(Escalation, OperatorsSkipStopAndRestartTheChain) {
  escalated_case();
  EXPECT_EQ(give("amira", op(command_kind::skip_responder), noon + minute), "");
  EXPECT_EQ(tried(), (std::vector<std::string>{"sarah:skipped", "tom:notified"}));
  EXPECT_EQ(give("amira", op(command_kind::stop_escalation), noon + 2 * minute), "");
  EXPECT_EQ(chain().status, escalation_status::stopped);
  EXPECT_EQ(the_case().state, case_state::accepted);
  EXPECT_EQ(give("amira", op(command_kind::skip_responder), noon + 2 * minute),
            "case " + std::to_string(case_id) + " has no responder being called");
  EXPECT_EQ(give("amira", op(command_kind::restart_escalation), noon + 3 * minute), "");
  EXPECT_EQ(tried(), (std::vector<std::string>{"sarah:notified"}));  // from the top, a fresh snapshot
  EXPECT_EQ(the_case().state, case_state::escalated);
}

TEST_F(Escalation, ResolvingTheCaseStandsEveryoneDown) {
  escalated_case();
  auto resolve = op(command_kind::resolve);
  resolve.outcome = "resolved_by_phone";
  resolve.note = "She answered the phone, all well";
  EXPECT_EQ(give("amira", resolve, noon + minute), "");
  EXPECT_EQ(chain().status, escalation_status::stopped);
  EXPECT_EQ(tried(), (std::vector<std::string>{"sarah:cancelled"}));
  EXPECT_EQ(give(carer_actor("sarah"), reply(1, "going", 10), noon + 2 * minute),
            "this alarm has been closed: thank you");
}

TEST_F(Escalation, APlanRuleEscalatesByItselfFromTheServer) {
  alarm_event e;
  e.event_id = ++event_id;
  e.person_id = "ann";
  e.type = alarm_type::fall;
  e.received_at_ms = noon;
  case_id = floor->apply(e)->case_id;
  auto automatic = op(command_kind::auto_escalate);
  automatic.note = "no operator accepted within 120 s (plan rule)";
  EXPECT_EQ(give("amira", automatic, noon + 2 * minute), "only the server records this step");
  EXPECT_EQ(give(system_actor, automatic, noon + 2 * minute), "");
  EXPECT_EQ(the_case().state, case_state::escalated);
  EXPECT_EQ(tried(), (std::vector<std::string>{"sarah:notified"}));
  EXPECT_EQ(give(system_actor, automatic, noon + 3 * minute),
            "case " + std::to_string(case_id) + " is already escalated");
}

TEST_F(Escalation, TheChainSurvivesARoundTripThroughItsStoredForm) {
  escalated_case();
  EXPECT_EQ(give(system_actor, link(1, {"email"}), noon), "");
  EXPECT_EQ(give(system_actor, delivery(1, "email", true), noon + 1000), "");
  EXPECT_EQ(give(carer_actor("sarah"), reply(1, "going", 15), noon + minute), "");
  auto back = escalation_from_json(escalation_to_json(chain()));
  EXPECT_EQ(escalation_to_json(back), escalation_to_json(chain()));
  EXPECT_EQ(back.attempts[0].links[0].id, "id1");
  EXPECT_EQ(back.attempts[0].deliveries[0].channel, "email");
  EXPECT_EQ(back.attempts[0].state, attempt_state::going);
  EXPECT_EQ(escalation_from_json("").status, escalation_status::none);
}

// Europe/London: BST from 01:00 UTC on 2026-03-29 to 01:00 UTC on 2026-10-25.
std::int64_t utc(int y, int m, int d, int hh, int mm) {
  namespace chrono = std::chrono;
  auto date = chrono::sys_days(chrono::year(y) / chrono::month(static_cast<unsigned>(m)) /
                               chrono::day(static_cast<unsigned>(d)));
  return chrono::duration_cast<chrono::milliseconds>(
             (date + chrono::hours(hh) + chrono::minutes(mm)).time_since_epoch())
      .count();
}

TEST(Availability, WindowsAreOnTheCarersOwnClockThroughBothDaylightSavingChanges) {
  auto c = make_carer("sarah", "Sarah", {{{"sat", "sun"}, "08:00", "20:00"}});
  // Spring forward, Sunday 2026-03-29: 07:30 UTC is 08:30 BST, inside the window.
  EXPECT_TRUE(is_available(c, utc(2026, 3, 29, 7, 30)));
  // The day before, 07:30 UTC is 07:30 GMT: not yet.
  EXPECT_FALSE(is_available(c, utc(2026, 3, 28, 7, 30)));
  EXPECT_TRUE(is_available(c, utc(2026, 3, 29, 18, 59)));  // 19:59 BST
  EXPECT_FALSE(is_available(c, utc(2026, 3, 29, 19, 0)));  // 20:00 BST
  // Fall back, Sunday 2026-10-25: 07:30 UTC is 07:30 GMT again, outside; the day before it
  // was 08:30 BST, inside.
  EXPECT_FALSE(is_available(c, utc(2026, 10, 25, 7, 30)));
  EXPECT_TRUE(is_available(c, utc(2026, 10, 24, 7, 30)));
  EXPECT_TRUE(is_available(c, utc(2026, 10, 25, 19, 59)));  // 19:59 GMT
}

TEST(Availability, AWindowPastMidnightBelongsToTheDayItStarts) {
  auto c = make_carer("tom", "Tom", {{{"fri"}, "22:00", "06:00"}});
  EXPECT_TRUE(is_available(c, utc(2026, 1, 16, 23, 0)));   // Friday 23:00 GMT
  EXPECT_TRUE(is_available(c, utc(2026, 1, 17, 5, 59)));   // Saturday 05:59
  EXPECT_FALSE(is_available(c, utc(2026, 1, 17, 6, 0)));   // Saturday 06:00
  EXPECT_FALSE(is_available(c, utc(2026, 1, 17, 23, 0)));  // Saturday night is not Friday's
  EXPECT_FALSE(is_available(c, utc(2026, 1, 16, 5, 0)));   // Friday early is Thursday's night
}

TEST(Availability, NoWindowsMeansAlwaysAvailable) {
  EXPECT_TRUE(is_available(make_carer("priya", "Priya"), utc(2026, 6, 1, 3, 0)));
}

}  // namespace
}  // namespace lantern
