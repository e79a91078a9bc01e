// The application core on its own: a hand-moved clock, the real journal on a temporary
// database, and a subscriber that records what the core publishes. Commands on one case are
// checked in order; a restart replays what was stored after the last save; timeouts and a
// plan's own escalation come from the tick; a record change is applied in commit order with
// the alarms around it, and answered only once it is live.
#include "core/desk_core.hpp"
#include "desk/escalation_chain.hpp"
#include "store/case_store.hpp"
#include "store/centre_store.hpp"
#include "store/database.hpp"
#include "store/journal.hpp"
#include "test_database.hpp"

#include <gtest/gtest.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

namespace lantern {
namespace {

// Wednesday 2026-01-14 12:00 UTC.
constexpr std::int64_t noon = 1'768'392'000'000;

// Records every case the core publishes, as it was then.
class published_cases final : public desk_subscriber {
 public:
  void case_changed(const case_record& c, const case_change&) override {
    std::lock_guard lock(mutex_);
    seen_.push_back(c);
  }
  std::vector<case_record> seen() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<case_record> seen_;
};

class DeskCore : public ::testing::Test {
 protected:
  DeskCore() {
    records.operators["amira"] = {"amira", "Amira Khan", operator_role::operator_, {"en"}, ""};
    records.operators["ben"] = {"ben", "Ben Ode", operator_role::operator_, {"en"}, ""};
    records.operators["cat"] = {"cat", "Cat Lee", operator_role::operator_, {"en"}, "", /*auto_presence=*/false};
    for (const auto& [id, name] : {std::pair{"sarah", "Sarah Jones"}, std::pair{"tom", "Tom Jones"}})
      records.carers[id] =
          carer{id, name, "friend", "+447700900001", std::string(id) + "@example.org", {"en"}, "Europe/London", {}};
    person ann;
    ann.id = "ann";
    ann.name = "Ann Jones";
    ann.date_of_birth = "1938-04-02";
    ann.address = "1 High Street";
    ann.medical_notes = "diabetic";
    ann.plan.responders = {"sarah", "tom"};
    ann.plan.escalation = {600, 1};
    // Smoke goes to the carers by itself when nobody has accepted it within a minute.
    ann.plan.rules.push_back({alarm_type::smoke, std::nullopt, "", 60});
    records.persons["ann"] = ann;
    auto db = open_database(file.path());
    migrate(*db);
    save_centre(*db, records, "test");
    records = load_centre(*db);
  }
  ~DeskCore() override { stop(/*save=*/true); }

  // A core on the database as it is now, like a server starting.
  void start() {
    store = std::make_unique<journal>(file.path(), figures, log);
    io.emplace();
    core = std::make_unique<desk_core>(io->get_executor(), records, *store, figures, log, desk_settings{},
                                       [this] { return clock.load(); });
    published = std::make_unique<published_cases>();
    core->subscribe(*published);
    auto db = open_database(file.path());
    core->restore(load_desk_restore_point(*db, clock - 3'600'000, clock - 86'400'000));
    store->start([this](std::vector<desk_event> events) { core->events_committed(std::move(events)); });
    work.emplace(io->get_executor());
    runner = std::thread([this] { io->run(); });
  }

  // Stops like a server (the changed cases saved first), or like a crash (`save` false:
  // the journal has every event, the saved cases lag behind).
  void stop(bool save) {
    if (!core) return;
    if (save) {
      std::promise<void> saved;
      core->save_and_then([&] { saved.set_value(); });
      saved.get_future().wait();
    }
    store->stop();
    work.reset();
    io->stop();
    runner.join();
    // As in the server: the core before its io_context, whose unrun handlers (the core's
    // cancelled timers) are then destroyed without running.
    core.reset();
    io.reset();
    store.reset();
  }

  // Runs `read` on the core's strand and gives back what it returns.
  template <typename Read>
  auto on_core(Read read) {
    std::promise<decltype(read())> result;
    core->post([&] { result.set_value(read()); });
    return result.get_future().get();
  }

  std::int64_t raise(alarm_type type, std::uint64_t seq) {
    alarm_event e;
    e.device_id = "dev-ann";
    e.device_seq = seq;
    e.person_id = "ann";
    e.type = type;
    e.occurred_at_ms = e.received_at_ms = clock;
    std::promise<journal::outcome> stored;
    store->append(e, [&](journal::outcome o) { stored.set_value(o); });
    EXPECT_EQ(stored.get_future().get(), journal::outcome::stored);
    return wait_for_case(type);
  }

  // The open case of `type`, once the core has applied its alarm (bounded: 5 s).
  std::int64_t wait_for_case(alarm_type type) {
    for (int i = 0; i < 500; ++i) {
      auto id = on_core([&]() -> std::int64_t {
        for (const auto* c : core->cases().queue())
          if (c->type == type) return c->case_id;
        return 0;
      });
      if (id != 0) return id;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "no case of " << to_string(type) << " opened";
    return 0;
  }

  // Sends `command` now; the future gives its answer.
  std::future<command_answer> send(const std::string& actor, command_kind kind, std::int64_t case_id,
                                   std::string note = "") {
    auto answer = std::make_shared<std::promise<command_answer>>();
    auto result = answer->get_future();
    case_command command;
    command.kind = kind;
    command.case_id = case_id;
    command.note = std::move(note);
    core->command({actor, std::move(command), [answer](const command_answer& a) { answer->set_value(a); }});
    return result;
  }

  case_record current(std::int64_t case_id) {
    return on_core([&] { return *core->cases().find(case_id); });
  }

  // Moves the clock on and ticks until `done` holds for the case (bounded: 5 s).
  template <typename Done>
  case_record tick_until(std::int64_t case_id, Done done) {
    for (int i = 0; i < 500; ++i) {
      core->tick();
      auto c = current(case_id);
      if (done(c)) return c;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "case " << case_id << " never got there";
    return current(case_id);
  }

  testing::temp_database file;
  centre records;
  metrics figures;
  std::shared_ptr<spdlog::logger> log = std::make_shared<spdlog::logger>("test");
  std::atomic<std::int64_t> clock{noon};
  std::optional<boost::asio::io_context> io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  std::thread runner;
  std::unique_ptr<journal> store;
  std::unique_ptr<desk_core> core;
  std::unique_ptr<published_cases> published;
};

TEST_F(DeskCore, CommandsOnOneCaseAreCheckedInTheOrderTheyCame) {
  start();
  auto id = raise(alarm_type::fall, 1);
  // Sent together, none waiting for the one before: each is checked against the state the
  // ones ahead of it left. Release is allowed only because the accept before it was applied.
  auto accept = send("amira", command_kind::accept, id);
  auto second = send("ben", command_kind::accept, id);
  auto note = send("amira", command_kind::note, id, "she is on the floor, talking");
  auto release = send("amira", command_kind::release, id);
  EXPECT_EQ(accept.get(), std::nullopt);
  auto refused = second.get();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->code, refusal_code::already_done);
  EXPECT_EQ(refused->reason, "already accepted by Amira Khan");
  EXPECT_EQ(note.get(), std::nullopt);
  EXPECT_EQ(release.get(), std::nullopt);

  auto c = current(id);
  EXPECT_EQ(c.state, case_state::queued);
  std::vector<std::string> kinds;
  for (const auto& t : c.timeline) kinds.push_back(t.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"alarm", "accept", "note", "release"}));
  // Published once per change, in order: the alarm, then each command that was carried out.
  EXPECT_EQ(published->seen().size(), 4u);
}

TEST_F(DeskCore, AnOperatorsStateFollowsTheirWorkUnlessTheyChoseItOrTurnedItOff) {
  start();
  auto state = [&](const std::string& who) { return on_core([&] { return core->chosen_presence(who); }); };
  for (const auto* who : {"amira", "ben", "cat"}) core->set_online(who, true);
  auto fall = raise(alarm_type::fall, 1);
  auto smoke = raise(alarm_type::smoke, 2);
  EXPECT_EQ(send("amira", command_kind::accept, fall).get(), std::nullopt);
  EXPECT_EQ(state("amira"), presence::on_call) << "accepting puts her on a call: no new offers";
  EXPECT_EQ(on_core([&] { return core->cases().presence_on_floor().at("amira"); }), presence::on_call);
  EXPECT_EQ(send("amira", command_kind::accept, smoke).get(), std::nullopt);
  EXPECT_EQ(send("amira", command_kind::release, fall).get(), std::nullopt);
  EXPECT_EQ(state("amira"), presence::on_call) << "she still has the smoke case";
  EXPECT_EQ(send("amira", command_kind::release, smoke).get(), std::nullopt);
  EXPECT_EQ(state("amira"), presence::ready) << "her last case gone: back to ready";

  // A break chosen by hand while on a case is what stands after it.
  EXPECT_EQ(send("ben", command_kind::accept, fall).get(), std::nullopt);
  EXPECT_EQ(state("ben"), presence::on_call);
  core->set_presence("ben", presence::on_break);
  EXPECT_EQ(send("ben", command_kind::release, fall).get(), std::nullopt);
  EXPECT_EQ(state("ben"), presence::on_break);

  // Cat turned it off: her state is hers alone.
  EXPECT_EQ(send("cat", command_kind::accept, fall).get(), std::nullopt);
  EXPECT_EQ(state("cat"), presence::ready);
}

TEST_F(DeskCore, AnOperatorOpensACaseByHandWhichIsTheirsAndInNoAnswerRate) {
  start();
  auto open = [&](const std::string& who, const std::string& person, const std::string& type) {
    std::promise<command_answer> answer;
    core->open_case_by_hand(who, person, type, "her son phoned: she sounds confused",
                            [&](const command_answer& a) { answer.set_value(a); });
    auto a = answer.get_future().get();
    return a ? a->reason : std::string();
  };
  EXPECT_EQ(open("amira", "ann", "pendant"), "");
  auto id = wait_for_case(alarm_type::pendant);
  auto c = current(id);
  EXPECT_EQ(c.owner, "amira");
  EXPECT_EQ(c.state, case_state::accepted);
  EXPECT_EQ(c.device_id, "");
  ASSERT_FALSE(c.timeline.empty());
  EXPECT_EQ(c.timeline.front().kind, "opened_by_hand");
  EXPECT_EQ(c.timeline.front().text, "her son phoned: she sounds confused");
  EXPECT_EQ(on_core([&] { return core->cases().answers().since(0, clock).calls; }), 0u) << "nobody waited for it";
  EXPECT_EQ(on_core([&] { return core->cases().answers().since(0, clock).opened_by_hand; }), 1u) << "counted apart";
  EXPECT_EQ(on_core([&] { return core->chosen_presence("amira"); }), presence::on_call);

  EXPECT_EQ(open("ben", "ann", "pendant"),
            "Ann Jones already has an open pendant case (case " + std::to_string(id) + "): work that one");
  EXPECT_EQ(open("ben", "nobody", "fall"), "no person 'nobody'");
  EXPECT_NE(open("ben", "ann", "cancel").find("unknown case type 'cancel': one of smoke, heat"), std::string::npos);

  // After a restart the case is still hers, and still out of the answer rate.
  stop(/*save=*/false);
  start();
  EXPECT_EQ(current(id).owner, "amira");
  EXPECT_EQ(on_core([&] { return core->cases().answers().since(0, clock).calls; }), 0u);
  EXPECT_EQ(on_core([&] { return core->cases().answers().since(0, clock).opened_by_hand; }), 1u);
}

TEST_F(DeskCore, ARestartReplaysWhatWasStoredAfterTheLastSave) {
  start();
  auto id = raise(alarm_type::fall, 1);
  ASSERT_EQ(send("amira", command_kind::accept, id).get(), std::nullopt);
  ASSERT_EQ(send("amira", command_kind::note, id, "ambulance called").get(), std::nullopt);
  auto before = current(id);
  stop(/*save=*/false);  // like a crash: the projection may not have every event

  start();
  auto after = current(id);
  EXPECT_EQ(after.owner, "amira");
  EXPECT_EQ(after.state, case_state::accepted);
  ASSERT_EQ(after.timeline.size(), before.timeline.size());
  EXPECT_EQ(after.timeline.back().text, "ambulance called");
  // Replayed commands answer nobody and are not published twice over.
  EXPECT_EQ(send("ben", command_kind::accept, id).get()->code, refusal_code::already_done);
}

TEST_F(DeskCore, AResponderWhoDoesNotReplyTimesOutOnTheTickAndTheNextIsAsked) {
  start();
  auto id = raise(alarm_type::fall, 1);
  ASSERT_EQ(send("amira", command_kind::accept, id).get(), std::nullopt);
  ASSERT_EQ(send("amira", command_kind::escalate, id, "no answer at the door").get(), std::nullopt);
  auto c = current(id);
  ASSERT_EQ(c.escalation.attempts.size(), 1u);
  EXPECT_EQ(c.escalation.attempts[0].carer_id, "sarah");

  core->tick();  // not due yet: nothing changes
  EXPECT_EQ(current(id).escalation.attempts.size(), 1u);

  clock += 601'000;  // past the plan's ten minutes to reply
  c = tick_until(id, [](const case_record& c) { return c.escalation.attempts.size() == 2; });
  EXPECT_EQ(c.escalation.attempts[0].state, attempt_state::timed_out);
  EXPECT_EQ(c.escalation.attempts[1].carer_id, "tom");
  EXPECT_EQ(c.escalation.attempts[1].state, attempt_state::notified);
}

TEST_F(DeskCore, APlanRuleEscalatesACaseNobodyAcceptedInTime) {
  start();
  auto id = raise(alarm_type::smoke, 1);
  core->tick();
  EXPECT_EQ(current(id).escalation.status, escalation_status::none) << "not within the minute";
  clock += 61'000;
  auto c = tick_until(id, [](const case_record& c) { return c.escalation.status != escalation_status::none; });
  EXPECT_EQ(c.state, case_state::escalated);
  EXPECT_EQ(c.timeline.back().actor, system_actor);
  ASSERT_FALSE(c.escalation.attempts.empty());
  EXPECT_EQ(c.escalation.attempts[0].carer_id, "sarah");
}

TEST_F(DeskCore, ARecordChangeIsAppliedInCommitOrderWithTheAlarmsAroundIt) {
  start();
  auto first = raise(alarm_type::fall, 1);
  auto changed = records.persons.at("ann");
  changed.medical_notes = "diabetic; new: on warfarin";
  record_change change;
  change.kind = record_kind::person;
  change.action = change_action::update;
  change.id = "ann";
  change.expected_version = 1;
  change.record = changed;
  change.actor = "admin";
  change.at_ms = clock;
  std::promise<std::pair<change_result, std::string>> answered;
  core->change_record(change, [&](change_result result) {
    // Answered on the core's strand, once the live records have the change.
    const auto* now = core->records().find_person("ann");
    answered.set_value({std::move(result), now ? now->medical_notes : ""});
  });
  auto second = raise(alarm_type::pendant, 2);
  auto [result, live_notes] = answered.get_future().get();
  ASSERT_EQ(result.outcome, change_result::status::done) << result.message;
  EXPECT_EQ(live_notes, "diabetic; new: on warfarin");

  // The fall came before the change and is worked to the plan it opened under; the pendant
  // alarm came after it and opens under the new one.
  EXPECT_EQ(current(first).plan_at_open->medical_notes, "diabetic");
  EXPECT_EQ(current(second).plan_at_open->medical_notes, "diabetic; new: on warfarin");
  // The fall's card says what changed since it opened; the pendant's has nothing to say.
  EXPECT_EQ(current(first).plan_changes, std::vector<std::string>{"medical_notes"});
  EXPECT_TRUE(current(second).plan_changes.empty());

  // A change made to a version that is no longer current changes nothing.
  std::promise<change_result> stale;
  core->change_record(change, [&](change_result r) { stale.set_value(std::move(r)); });
  EXPECT_EQ(stale.get_future().get().outcome, change_result::status::conflict);
  EXPECT_EQ(on_core([&] { return core->records().find_person("ann")->version; }), 2);

  // After a restart the desk works out again what changed (it is not stored).
  stop(/*save=*/true);
  {
    auto db = open_database(file.path());
    records = load_centre(*db);
  }
  start();
  EXPECT_EQ(current(first).plan_changes, std::vector<std::string>{"medical_notes"});
}

}  // namespace
}  // namespace lantern
