// The journal on a real SQLite file: group commit, exactly-once storage of re-sent alarms,
// commit-order delivery to the desk, and the case projection's watermark.
#include "store/journal.hpp"
#include "slow_database_writes.hpp"
#include "store/audit_chain.hpp"
#include "store/case_store.hpp"
#include "store/centre_store.hpp"
#include "store/database.hpp"
#include "store/wal_write_gathering.hpp"
#include "test_database.hpp"

#include <gtest/gtest.h>

#include <spdlog/sinks/ostream_sink.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <sstream>
#include <thread>

#include <sys/resource.h>

namespace lantern {
namespace {

class JournalTest : public ::testing::Test {
 protected:
  JournalTest() {
    auto db = open_database(file.path());
    migrate(*db);
  }

  static alarm_event alarm(const std::string& device, std::uint64_t seq, alarm_type type = alarm_type::pendant) {
    alarm_event e;
    e.device_id = device;
    e.device_seq = seq;
    e.person_id = "person-" + device;
    e.type = type;
    e.received_at_ms = 1000 + static_cast<std::int64_t>(seq);
    return e;
  }

  // Appends and waits for the outcome.
  journal::outcome append(journal& j, alarm_event e) {
    std::promise<journal::outcome> done;
    j.append(std::move(e), [&](journal::outcome o) { done.set_value(o); });
    return done.get_future().get();
  }

  // Appends an alarm a millisecond (from 50 devices) for `how_long`; returns how many.
  // An alarm a millisecond, from 50 devices, with seqs after `after`: returns the last seq.
  std::uint64_t stream_for(journal& j, std::chrono::milliseconds how_long, std::uint64_t after = 0) {
    auto until = std::chrono::steady_clock::now() + how_long;
    std::uint64_t seq = after;
    while (std::chrono::steady_clock::now() < until) {
      ++seq;
      EXPECT_EQ(append(j, alarm("dev-" + std::to_string(seq % 50), seq)), journal::outcome::stored);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return seq;
  }

  int count(const std::string& sql) { return open_database(file.path())->execAndGet(sql).getInt(); }

  // Starts `j` keeping its timeline (at timeline_path() after the stop), the WAL started
  // afresh once `restart_after` frames long: short, so that a test's stream restarts it often.
  void start_timed(journal& j, int restart_after) {
    j.keep_timeline(timeline_path().string());
    j.restart_wal_after(restart_after);
    j.start(collect);
  }
  std::filesystem::path timeline_path() const { return file.folder() / "timeline.txt"; }

  testing::temp_database file;
  metrics figures;
  std::shared_ptr<spdlog::logger> log = std::make_shared<spdlog::logger>("test");
  std::mutex committed_mutex;
  std::vector<alarm_event> committed;
  std::vector<case_action> committed_actions;
  journal::events_committed collect = [this](std::vector<desk_event> events) {
    std::lock_guard lock(committed_mutex);
    for (auto& e : events) {
      if (auto* a = std::get_if<alarm_event>(&e))
        committed.push_back(std::move(*a));
      else
        committed_actions.push_back(std::get<case_action>(std::move(e)));
    }
  };
};

TEST_F(JournalTest, AnAlarmIsStoredAndHandedToTheDeskAfterItsCommit) {
  journal j(file.path(), figures, log);
  j.start(collect);
  EXPECT_EQ(append(j, alarm("dev-1", 1, alarm_type::fall)), journal::outcome::stored);
  j.stop();
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE kind = 'alarm' AND alarm_type = 'fall'"), 1);
  ASSERT_EQ(committed.size(), 1u);
  EXPECT_GT(committed[0].event_id, 0);
}

// The WAL's room is written out at the start (store/wal_room): commits overwrite it in place.
TEST_F(JournalTest, TheWalHasItsWholeRoomFromTheStartAndCommitsDoNotGrowIt) {
  journal j(file.path(), figures, log);
  j.start(collect);
  auto wal = file.path() + "-wal";
  EXPECT_EQ(std::filesystem::file_size(wal), static_cast<std::uintmax_t>(wal_file_limit_bytes));
  stream_for(j, std::chrono::milliseconds(300));
  EXPECT_EQ(std::filesystem::file_size(wal), static_cast<std::uintmax_t>(wal_file_limit_bytes));
  j.stop();
  EXPECT_GT(count("SELECT count(*) FROM events WHERE kind = 'alarm'"), 0);
}

// The nice value of this process's thread named `name` (-100: none running).
int nice_of_thread(const std::string& name) {
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string found;
    if (!std::getline(comm, found) || found != name) continue;
    // On Linux a thread's own nice, by its id.
    return getpriority(PRIO_PROCESS, static_cast<id_t>(std::stoi(task.path().filename().string())));
  }
  return -100;
}

// On a core shared with the I/O thread, copying pages into the database yields to commits.
TEST_F(JournalTest, TheCheckpointerYieldsTheCoreToTheWriter) {
  journal j(file.path(), figures, log);
  j.start(collect);
  EXPECT_EQ(append(j, alarm("dev-1", 1)), journal::outcome::stored);
  // Whatever nice the tests run at; the checkpointer sets its own as it begins (waited for,
  // up to two seconds).
  int writers = nice_of_thread("journal");
  int expected = std::min(19, writers + journal::checkpointer_nicer_by);
  for (int i = 0; i < 200 && nice_of_thread("checkpointer") != expected; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(writers, getpriority(PRIO_PROCESS, 0)) << "the writer keeps the process's";
  EXPECT_EQ(nice_of_thread("checkpointer"), expected);
  EXPECT_GT(expected, writers);
  j.stop();
  EXPECT_EQ(nice_of_thread("checkpointer"), -100) << "gone at stop";
}

// What gathers the dones for one hand-over (the device acks) passes it on once a commit,
// with every done of the commit in it.
TEST_F(JournalTest, AfterEachCommitItsHooksRunOnceEveryDoneOfItHasRun) {
  journal j(file.path(), figures, log);
  std::atomic<int> dones{0};
  std::vector<int> dones_at_hook;  // the journal's thread only
  j.after_each_commit([&] { dones_at_hook.push_back(dones.load()); });
  j.start(collect);
  constexpr int alarms = 300;
  std::promise<void> all_done;
  for (int seq = 1; seq <= alarms; ++seq)
    j.append(alarm("dev-" + std::to_string(seq % 20), static_cast<std::uint64_t>(seq)), [&](journal::outcome o) {
      EXPECT_EQ(o, journal::outcome::stored);
      if (++dones == alarms) all_done.set_value();
    });
  all_done.get_future().wait();
  j.stop();

  ASSERT_FALSE(dones_at_hook.empty());
  EXPECT_EQ(dones_at_hook.back(), alarms) << "the last commit's hook came after its dones";
  EXPECT_TRUE(std::is_sorted(dones_at_hook.begin(), dones_at_hook.end()));
  EXPECT_EQ(static_cast<double>(dones_at_hook.size()), figures.journal_batch_size.Collect().histogram.sample_count)
      << "once a commit";
  for (int i = 0; i < 3; ++i) j.after_each_commit([] {});
  EXPECT_THROW(j.after_each_commit([] {}), std::logic_error) << "at most four";
}

TEST_F(JournalTest, AReSentSeqIsStoredOnceAndReportedAsADuplicate) {
  journal j(file.path(), figures, log);
  j.start(collect);
  EXPECT_EQ(append(j, alarm("dev-1", 7)), journal::outcome::stored);
  EXPECT_EQ(append(j, alarm("dev-1", 7)), journal::outcome::duplicate);
  EXPECT_EQ(append(j, alarm("dev-2", 7)), journal::outcome::stored) << "seqs are per device";
  j.stop();
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE kind = 'alarm'"), 2);
  EXPECT_EQ(committed.size(), 2u) << "the desk never sees a duplicate";
}

// A device whose counter went back sends a fall under the seq of an old test: it must be
// stored and raised, never acked and dropped.
TEST_F(JournalTest, ADifferentAlarmUnderAUsedSeqIsStoredAsAReuse) {
  journal j(file.path(), figures, log);
  j.start(collect);
  EXPECT_EQ(append(j, alarm("dev-1", 9, alarm_type::test)), journal::outcome::stored);
  EXPECT_EQ(append(j, alarm("dev-1", 9, alarm_type::fall)), journal::outcome::seq_reused);
  EXPECT_EQ(append(j, alarm("dev-1", 9, alarm_type::fall)), journal::outcome::duplicate) << "its re-send";
  auto detailed = alarm("dev-1", 9, alarm_type::fall);
  detailed.detail = "kitchen";
  EXPECT_EQ(append(j, detailed), journal::outcome::seq_reused) << "a third alarm under the same seq";
  auto next_epoch = alarm("dev-1", 9, alarm_type::fall);
  next_epoch.device_epoch = 2;
  EXPECT_EQ(append(j, next_epoch), journal::outcome::stored) << "seqs are per epoch";
  j.stop();
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE device_seq = 9"), 4);
  EXPECT_EQ(count("SELECT max(seq_reuse) FROM events WHERE device_seq = 9 AND device_epoch = 0"), 2);
  ASSERT_EQ(committed.size(), 4u);
  EXPECT_FALSE(committed[0].seq_reused);
  EXPECT_TRUE(committed[1].seq_reused);
  EXPECT_TRUE(committed[2].seq_reused);
  EXPECT_FALSE(committed[3].seq_reused);
}

// Alarms in flight are settled out of order when one is refused: the device re-sends the
// lower seq after a higher one was stored. It is a new alarm, not a counter gone back.
TEST_F(JournalTest, ASeqBelowTheHighestThatWasNeverStoredIsANewAlarm) {
  journal j(file.path(), figures, log);
  j.start(collect);
  EXPECT_EQ(append(j, alarm("dev-1", 5)), journal::outcome::stored);
  EXPECT_EQ(append(j, alarm("dev-1", 4, alarm_type::fall)), journal::outcome::stored);
  EXPECT_EQ(append(j, alarm("dev-1", 4, alarm_type::fall)), journal::outcome::duplicate);
  // A missed check-in the server raises for the device, under a seq of its own range, is
  // neither a re-send nor a reuse of the device's seqs, and the device's next seqs stay new.
  auto missed = alarm("dev-1", (std::uint64_t(1) << 62) + 1, alarm_type::missed_checkin);
  EXPECT_EQ(append(j, missed), journal::outcome::stored);
  EXPECT_EQ(append(j, missed), journal::outcome::duplicate);
  EXPECT_EQ(append(j, alarm("dev-1", 6)), journal::outcome::stored);
  EXPECT_EQ(append(j, alarm("dev-1", 6)), journal::outcome::duplicate);
  j.stop();
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE device_id = 'dev-1'"), 4);
  for (const auto& e : committed) EXPECT_FALSE(e.seq_reused) << e.device_seq;
}

// Seqs and epochs past what SQLite's signed integers hold, from a hostile or broken device:
// stored, known again when re-sent, and no bar to the device's ordinary seqs.
TEST_F(JournalTest, TheLargestSeqAndEpochAreStoredOnceAndLeaveTheDevicesOtherSeqsAlone) {
  journal j(file.path(), figures, log);
  j.start(collect);
  auto largest = alarm("dev-1", UINT64_MAX);
  largest.device_epoch = UINT64_MAX;
  EXPECT_EQ(append(j, largest), journal::outcome::stored);
  EXPECT_EQ(append(j, largest), journal::outcome::duplicate);
  auto other = alarm("dev-1", UINT64_MAX, alarm_type::fall);
  other.device_epoch = UINT64_MAX;
  EXPECT_EQ(append(j, other), journal::outcome::seq_reused);
  EXPECT_EQ(append(j, alarm("dev-1", 1)), journal::outcome::stored);
  EXPECT_EQ(append(j, alarm("dev-1", (std::uint64_t(1) << 63) + 5)), journal::outcome::stored);
  EXPECT_EQ(append(j, alarm("dev-1", 2)), journal::outcome::stored) << "a seq past 2^62 does not raise the highest";
  j.stop();
  journal again(file.path(), figures, log);
  again.start(collect);
  EXPECT_EQ(append(again, largest), journal::outcome::duplicate) << "across a restart";
}

// Across restarts after each kind of stop: clean (the seqs written at stop) and killed (the
// seqs made again from the events).
TEST_F(JournalTest, AReSendAndAReuseAreToldApartAfterAKillAsAfterAStop) {
  {
    journal j(file.path(), figures, log);
    j.start(collect);
    for (std::uint64_t seq = 1; seq <= 50; ++seq) ASSERT_EQ(append(j, alarm("dev-1", seq)), journal::outcome::stored);
  }
  EXPECT_EQ(count("SELECT count(*) FROM alarm_seqs"), 50) << "a clean stop writes what it held";
  // A kill: the stored events are there, their seqs never written.
  open_database(file.path())->exec(R"(INSERT INTO events (recorded_at_ms, kind, device_id, device_seq, person_id,
      alarm_type, occurred_at_ms, detail, device_epoch, seq_reuse) VALUES (1051, 'alarm', 'dev-1', 51, 'person-dev-1',
      'pendant', 0, '', 0, 0))");
  journal again(file.path(), figures, log);
  again.start(collect);
  EXPECT_EQ(count("SELECT count(*) FROM alarm_seqs"), 51) << "caught up at start, before the first alarm";
  EXPECT_EQ(append(again, alarm("dev-1", 51)), journal::outcome::duplicate);
  EXPECT_EQ(append(again, alarm("dev-1", 20)), journal::outcome::duplicate);
  EXPECT_EQ(append(again, alarm("dev-1", 51, alarm_type::fall)), journal::outcome::seq_reused);
  EXPECT_EQ(append(again, alarm("dev-1", 52)), journal::outcome::stored);
}

TEST_F(JournalTest, ADuplicateIsRecognisedAcrossARestart) {
  {
    journal j(file.path(), figures, log);
    j.start(collect);
    EXPECT_EQ(append(j, alarm("dev-1", 3)), journal::outcome::stored);
  }
  journal again(file.path(), figures, log);
  again.start(collect);
  EXPECT_EQ(append(again, alarm("dev-1", 3)), journal::outcome::duplicate);
}

// An alarm unit (SIA DC-09) whose seq wraps: what it sent is told by a digest of its content.
TEST_F(JournalTest, AnAlarmUnitsReSendWithinTenMinutesIsStoredOnceAndLaterTheSameContentIsANewEvent) {
  journal j(file.path(), figures, log);
  j.start(collect);
  auto unit_alarm = [](std::int64_t at_ms, std::string digest) {
    auto e = alarm("hub-1", 42);
    e.received_at_ms = at_ms;
    e.resend_digest = std::move(digest);
    return e;
  };
  EXPECT_EQ(append(j, unit_alarm(1'000'000, "digest-a")), journal::outcome::stored);
  EXPECT_EQ(append(j, unit_alarm(1'000'000 + 30'000, "digest-a")), journal::outcome::duplicate) << "a re-send";
  EXPECT_EQ(append(j, unit_alarm(1'000'000 + 30'000, "digest-b")), journal::outcome::stored)
      << "the same seq with other content: a new event, not a reuse";
  EXPECT_EQ(append(j, unit_alarm(1'000'000 + resend_window_ms + 1, "digest-a")), journal::outcome::stored)
      << "past ten minutes the seq has wrapped round: the same words again are a new press";
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE device_id = 'hub-1'"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE device_id = 'hub-1' AND device_seq IS NULL"), 3);
  std::lock_guard lock(committed_mutex);
  for (const auto& e : committed) EXPECT_FALSE(e.seq_reused);
}

TEST_F(JournalTest, ConcurrentAlarmsShareCommitsAndAllArriveInCommitOrder) {
  journal j(file.path(), figures, log);
  j.start(collect);
  constexpr int devices = 8, per_device = 250;
  std::atomic<int> stored{0};
  std::vector<std::thread> senders;
  for (int d = 0; d < devices; ++d)
    senders.emplace_back([&, d] {
      std::vector<std::promise<void>> done(per_device);
      for (int s = 1; s <= per_device; ++s)
        j.append(alarm("dev-" + std::to_string(d), std::uint64_t(s)), [&, s](journal::outcome o) {
          if (o == journal::outcome::stored) ++stored;
          done[std::size_t(s - 1)].set_value();
        });
      for (auto& p : done) p.get_future().wait();
    });
  for (auto& t : senders) t.join();
  j.stop();
  EXPECT_EQ(stored.load(), devices * per_device);
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE kind = 'alarm'"), devices * per_device);
  ASSERT_EQ(committed.size(), std::size_t(devices * per_device));
  for (std::size_t i = 1; i < committed.size(); ++i) ASSERT_LT(committed[i - 1].event_id, committed[i].event_id);
  auto rendered = figures.render();
  auto at = rendered.find("lantern_journal_batch_size_count ");
  ASSERT_NE(at, std::string::npos);
  double batches = std::stod(rendered.substr(at + std::string("lantern_journal_batch_size_count ").size()));
  EXPECT_LT(batches, devices * per_device) << "alarms waiting together are committed together";
}

TEST_F(JournalTest, WithABatchLimitOfOneEveryAlarmIsCommittedAlone) {
  journal j(file.path(), figures, log, /*max_batch=*/1);
  j.start(collect);
  std::atomic<int> answered{0};
  for (std::uint64_t s = 1; s <= 50; ++s) j.append(alarm("dev-1", s), [&](journal::outcome) { ++answered; });
  j.stop();
  EXPECT_EQ(answered.load(), 50);
  auto rendered = figures.render();
  EXPECT_NE(rendered.find("lantern_journal_batch_size_count 50"), std::string::npos);
  EXPECT_NE(rendered.find("lantern_journal_batch_size_sum 50"), std::string::npos);
}

TEST_F(JournalTest, AFullQueueAsksTheDeviceToComeBackLater) {
  journal j(file.path(), figures, log, /*max_batch=*/4096, /*max_queue=*/0);
  std::atomic<int> hooks{0};
  j.after_each_commit([&] { ++hooks; });
  j.start(collect);
  EXPECT_EQ(append(j, alarm("dev-1", 1)), journal::outcome::overloaded);
  EXPECT_EQ(hooks.load(), 1) << "the refusal is passed on at once: no commit follows to do it";
  j.stop();
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE kind = 'alarm'"), 0);
}

TEST_F(JournalTest, AlarmsAfterTheSavedCasesAreGivenBackForReplay) {
  journal j(file.path(), figures, log);
  j.start(collect);
  append(j, alarm("dev-1", 1));
  append(j, alarm("dev-1", 2));
  append(j, alarm("dev-1", 3, alarm_type::fall));
  case_record c;
  c.case_id = 1;
  c.person_id = "person-dev-1";
  c.first_event_id = committed[0].event_id;
  c.last_event_id = committed[1].event_id;
  c.alarm_count = 2;
  j.save_cases({c}, committed[1].event_id);
  j.stop();

  auto db = open_database(file.path());
  auto point = load_desk_restore_point(*db, 0, 0);
  ASSERT_EQ(point.cases.size(), 1u);
  EXPECT_EQ(point.cases[0].alarm_count, 2u);
  EXPECT_EQ(point.next_case_id, 2);
  ASSERT_EQ(point.unapplied.size(), 1u);
  const auto& replayed = std::get<alarm_event>(point.unapplied[0]);
  EXPECT_EQ(replayed.device_seq, 3u);
  EXPECT_EQ(replayed.type, alarm_type::fall);
}

TEST_F(JournalTest, ACaseActionIsStoredAsAnEventAndHandedBackInCommitOrderWithTheAlarms) {
  journal j(file.path(), figures, log);
  j.start(collect);
  append(j, alarm("dev-1", 1));
  case_command accept{command_kind::accept, 1, "", "", "", "", "", "", "", "", {}};
  bool failed = false;
  j.append_action({0, 5000, "amira", accept, 7}, [&](journal::outcome) { failed = true; });
  append(j, alarm("dev-1", 2));
  j.stop();
  EXPECT_FALSE(failed);
  ASSERT_EQ(committed_actions.size(), 1u);
  EXPECT_EQ(committed_actions[0].request_token, 7u);
  EXPECT_EQ(committed_actions[0].actor, "amira");
  ASSERT_EQ(committed.size(), 2u);
  EXPECT_LT(committed[0].event_id, committed_actions[0].event_id);
  EXPECT_LT(committed_actions[0].event_id, committed[1].event_id);
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE kind = 'case_action' AND actor = 'amira' AND "
                  "payload = '{\"type\":\"accept\",\"case_id\":1}'"),
            1);
}

TEST_F(JournalTest, CaseActionsAfterTheSavedCasesAreGivenBackForReplayInOrder) {
  journal j(file.path(), figures, log);
  j.start(collect);
  append(j, alarm("dev-1", 1));
  case_command note{command_kind::note, 1, "she is fine", "", "", "", "", "", "", "", {}};
  j.append_action({0, 5000, "amira", note, 1}, [](journal::outcome) {});
  append(j, alarm("dev-1", 2, alarm_type::fall));
  j.stop();

  auto db = open_database(file.path());
  auto point = load_desk_restore_point(*db, 0, 0);
  ASSERT_EQ(point.unapplied.size(), 3u);
  const auto& replayed = std::get<case_action>(point.unapplied[1]);
  EXPECT_EQ(replayed.command.kind, command_kind::note);
  EXPECT_EQ(replayed.command.note, "she is fine");
  EXPECT_EQ(replayed.at_ms, 5000);
  EXPECT_EQ(replayed.request_token, 0u) << "nobody waits for a replayed action";
  EXPECT_EQ(std::get<alarm_event>(point.unapplied[2]).type, alarm_type::fall);
}

TEST_F(JournalTest, SavedCasesComeBackWithOwnersTimelinesHistoryAndTheReopenWindow) {
  journal j(file.path(), figures, log);
  j.start(collect);
  auto saved_case = [](std::int64_t id, case_state state, std::int64_t resolved_at) {
    case_record c;
    c.case_id = id;
    c.person_id = "ann";
    c.state = state;
    c.opened_at_ms = 1000 * id;
    c.answered_at_ms = 1000 * id + 20;
    c.resolved_at_ms = resolved_at;
    c.outcome = state == case_state::resolved ? "false_alarm" : "";
    c.owner = "amira";
    c.timeline = {{1000 * id, "alarm", "dev-1", ""}, {1000 * id + 20, "accept", "amira", ""}};
    return c;
  };
  std::vector<case_record> cases{saved_case(1, case_state::resolved, 10'000),
                                 saved_case(2, case_state::resolved, 90'000), saved_case(3, case_state::accepted, 0)};
  cases[2].timeline.push_back({3100, "repeat", "dev-1", "4 repeats"});
  j.save_cases(cases, 0);
  j.stop();

  auto db = open_database(file.path());
  auto point = load_desk_restore_point(*db, /*resolved_since_ms=*/50'000, /*opened_since_ms=*/2000);
  ASSERT_EQ(point.cases.size(), 2u) << "the open case, and the one resolved inside the window";
  EXPECT_EQ(point.cases[0].case_id, 2);
  const auto& open = point.cases[1];
  EXPECT_EQ(open.owner, "amira");
  ASSERT_EQ(open.timeline.size(), 3u);
  EXPECT_EQ(open.timeline[1].kind, "accept");
  EXPECT_EQ(open.repeats_in_a_row, 4u) << "a run of repeats goes on counting after a restart";
  ASSERT_EQ(point.history.size(), 2u);
  EXPECT_EQ(point.history[0].case_id, 2) << "newest first";
  EXPECT_EQ(point.opened_lately.size(), 2u) << "cases opened since 2000";
}

TEST_F(JournalTest, StoppingWritesEverythingAlreadyQueued) {
  journal j(file.path(), figures, log);
  j.start(collect);
  std::atomic<int> answered{0};
  for (std::uint64_t s = 1; s <= 500; ++s) j.append(alarm("dev-1", s), [&](journal::outcome) { ++answered; });
  j.stop();
  EXPECT_EQ(answered.load(), 500);
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE kind = 'alarm'"), 500);
}

TEST_F(JournalTest, EveryKindOfRowTheJournalHashesItselfHoldsInTheAuditChainBesideTheTriggersRows) {
  {
    journal j(file.path(), figures, log);
    j.start(collect);
    auto pressed = alarm("dev-1", 1, alarm_type::fall);
    pressed.detail = "fell in the hall";
    pressed.occurred_at_ms = 990;
    EXPECT_EQ(append(j, pressed), journal::outcome::stored);
    EXPECT_EQ(append(j, pressed), journal::outcome::duplicate);
    EXPECT_EQ(append(j, alarm("dev-1", 1, alarm_type::smoke)), journal::outcome::seq_reused);
    auto by_hand = alarm("", 0, alarm_type::pendant);
    by_hand.opened_by = "amira";
    by_hand.person_id = "ann";
    EXPECT_EQ(append(j, by_hand), journal::outcome::stored);
    auto unit = alarm("hub-1", 42);
    unit.resend_digest = std::string("\x00\x01digest", 8);
    EXPECT_EQ(append(j, unit), journal::outcome::stored);
    case_command note{command_kind::note, 1, "she is fine", "", "", "", "", "", "", "", {}};
    j.append_action({0, 5000, "amira", note, 1}, [](journal::outcome) {});
    j.stop();
  }
  // A row the chain's trigger hashes (an import, say), then the journal again on top of it.
  open_database(file.path())
      ->exec("INSERT INTO events (recorded_at_ms, kind, actor, payload) VALUES (6000, 'centre_import', 'admin', '{}')");
  {
    journal j(file.path(), figures, log);
    j.start(collect);
    EXPECT_EQ(append(j, alarm("dev-2", 1)), journal::outcome::stored);
    j.stop();
  }
  auto db = open_database(file.path());
  auto verdict = verify_audit_chain(*db);
  EXPECT_EQ(verdict.broken, "");
  EXPECT_EQ(verdict.events, 7);
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE hash IS NULL"), 0);
  // A row the journal hashed wrongly would be named: change one and the chain breaks there.
  db->exec(
      "DROP TRIGGER events_no_update; UPDATE events SET detail = 'tripped' WHERE device_id = 'dev-1' AND "
      "seq_reuse = 0");
  EXPECT_NE(verify_audit_chain(*db).broken, "");
}

TEST_F(JournalTest, ALargeSaveOfCasesIsSpreadOverCommitsAndNeverOverwritesANewerOne) {
  journal j(file.path(), figures, log);
  j.start(collect);
  std::vector<case_record> cases;
  for (std::int64_t id = 1; id <= 300; ++id) {
    case_record c;
    c.case_id = id;
    c.person_id = "person-" + std::to_string(id);
    c.alarm_count = 1;
    cases.push_back(std::move(c));
  }
  auto newer = cases.back();
  newer.alarm_count = 2;
  j.save_cases(std::move(cases), 10);
  j.save_cases({newer}, 11);  // queued behind the first save's last cases
  EXPECT_EQ(append(j, alarm("dev-1", 1)), journal::outcome::stored) << "an alarm is not held behind the save";
  j.stop();

  auto db = open_database(file.path());
  auto point = load_desk_restore_point(*db, 0, 0);
  ASSERT_EQ(point.cases.size(), 300u);
  EXPECT_EQ(point.cases.back().alarm_count, 2u) << "the newer save is written after the older one's last cases";
  EXPECT_EQ(db->execAndGet("SELECT applied_event_id FROM desk_state").getInt64(), 11);
  auto commits = figures.journal_batch_size.Collect().histogram.sample_count;
  EXPECT_GE(commits, 300 / journal::cases_per_commit + 1) << "a commit holds at most " << journal::cases_per_commit;
}

// The rows of a --journal-timeline file, by kind: c (commit), w and h (checkpoints).
std::map<char, std::vector<journal_timeline::row>> read_timeline(const std::filesystem::path& path) {
  std::map<char, std::vector<journal_timeline::row>> rows;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    char kind = 0;
    journal_timeline::row r;
    fields >> kind >> r.began_us >> r.took_us >> r.requests >> r.alarms >> r.cases >> r.seqs >> r.queue_left >>
        r.wal_frames >> r.copied;
    rows[kind].push_back(r);
  }
  return rows;
}

// How long the WAL was long (past `long_from` frames) before the writer's pass `w` started it
// afresh: from `since_us` (the pass before it ended, or the first commit) to `w`, less the
// time the stream took to make it long at the rate it wrote the WAL. In time, not frames: a
// faster disk writes more frames a second (1,047 where a slower one had written under 1,000).
double seconds_long_before(const journal_timeline::row& w, std::int64_t since_us, int long_from) {
  double seconds = double(w.began_us - since_us) / 1e6;
  return seconds * (1.0 - double(long_from) / double(w.wal_frames));
}

TEST_F(JournalTest, TheTimelineNotesEveryCommitWithWhatItCarriedAndIsWrittenAtStop) {
  auto path = file.folder() / "timeline.txt";
  auto before_us = wall_us();
  journal j(file.path(), figures, log);
  j.keep_timeline(path.string());
  j.start(collect);
  for (std::uint64_t seq = 1; seq <= 3; ++seq) EXPECT_EQ(append(j, alarm("dev-1", seq)), journal::outcome::stored);
  std::vector<case_record> cases(40);
  for (std::size_t i = 0; i < cases.size(); ++i) cases[i].case_id = std::int64_t(i + 1);
  j.save_cases(std::move(cases), 3);
  EXPECT_EQ(append(j, alarm("dev-1", 3)), journal::outcome::duplicate);
  EXPECT_FALSE(std::filesystem::exists(path)) << "written at stop, not on the alarms' path";
  j.stop();

  auto rows = read_timeline(path);
  auto commits = figures.journal_batch_size.Collect().histogram.sample_count;
  ASSERT_EQ(rows['c'].size(), commits) << "one row a commit";
  std::uint32_t alarms = 0, cases_saved = 0, requests = 0;
  for (const auto& r : rows['c']) {
    alarms += r.alarms;
    cases_saved += r.cases;
    requests += r.requests;
    EXPECT_LE(r.cases, journal::cases_per_commit);
    EXPECT_GE(r.began_us, before_us);
    EXPECT_LE(r.began_us, wall_us());
  }
  EXPECT_EQ(alarms, 3u) << "the re-send stored nothing";
  EXPECT_EQ(cases_saved, 40u);
  auto saving = std::count_if(rows['c'].begin(), rows['c'].end(), [](const auto& r) { return r.cases > 0; });
  EXPECT_EQ(saving, 3) << "40 cases, 16 a commit";
  EXPECT_EQ(requests, 4u + 3u) << "four alarms, and the save in each commit it was spread over";
}

TEST_F(JournalTest, ATimelineThatCannotBeWrittenIsLoggedAndTheAlarmsAreStoredAllTheSame) {
  std::ostringstream logged;
  auto logger = std::make_shared<spdlog::logger>("store", std::make_shared<spdlog::sinks::ostream_sink_mt>(logged));
  auto nowhere = file.folder() / "no-such-folder" / "timeline.txt";
  journal j(file.path(), figures, logger);
  j.keep_timeline(nowhere.string());
  j.start(collect);
  EXPECT_EQ(append(j, alarm("dev-1", 1)), journal::outcome::stored);
  j.stop();
  EXPECT_NE(logged.str().find("journal timeline: cannot write " + nowhere.string()), std::string::npos) << logged.str();
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE kind = 'alarm'"), 1);
}

// Under a steady stream the WAL is only started afresh by a checkpoint that catches every
// frame, which the writer makes between commits, acks held behind it. It is made once the
// WAL is long, and right after the helper's passes, so it has little left to copy.
TEST_F(JournalTest, UnderASteadyStreamTheWalStartsAfreshOnceLongRightAfterTheHelpersPasses) {
  journal j(file.path(), figures, log);
  start_timed(j, 200);
  auto seq = stream_for(j, std::chrono::milliseconds(2600));
  j.stop();

  auto rows = read_timeline(timeline_path());
  ASSERT_GE(rows['w'].size(), 2u) << "the writer finished a checkpoint more than once in the stream's 2.6 s";
  EXPECT_GE(rows['s'].size(), rows['w'].size()) << "the helper syncs the database file after its passes";
  std::int64_t last_finished_us = 0;
  for (const auto& w : rows['w']) {
    // The helper's last pass before it: ended at most 50 ms earlier, with a long WAL.
    const journal_timeline::row* helper = nullptr;
    for (const auto& h : rows['h'])
      if (h.began_us + h.took_us <= w.began_us) helper = &h;
    ASSERT_NE(helper, nullptr) << "a writer's checkpoint at " << w.began_us << " before any pass of the helper's";
    EXPECT_GE(helper->began_us, last_finished_us);
    EXPECT_LE(w.began_us - (helper->began_us + helper->took_us), 50'000 + 20'000) << "(20 ms for a slow machine)";
    EXPECT_GE(helper->wal_frames, 200);
    EXPECT_LT(w.wal_frames - helper->copied, helper->wal_frames)
        << "the writer's pass had less to copy than the helper's";
    last_finished_us = w.began_us + w.took_us;
  }
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE kind = 'alarm'"), static_cast<int>(seq));
}

// Under overload the niced helper may not get the core for a while; the WAL must still not
// outgrow the room kept for it (at 60,000 alarms/s offered to one core it reached 167 MB).
TEST_F(JournalTest, WithTheHelperHeldBackTheWriterStillStartsTheWalAfreshBeforeItOutgrowsItsRoom) {
  journal j(file.path(), figures, log);
  j.helper_every(std::chrono::hours(1));
  start_timed(j, 200);
  auto seq = stream_for(j, std::chrono::milliseconds(1600));
  j.stop();

  auto rows = read_timeline(timeline_path());
  EXPECT_TRUE(rows['h'].empty()) << "the helper was held back";
  ASSERT_GE(rows['w'].size(), 2u) << "the writer started the WAL afresh on its own, more than once in 1.6 s";
  auto since_us = rows['c'].front().began_us;
  for (const auto& w : rows['w']) {
    EXPECT_GE(w.wal_frames, 200) << "once long, not before";
    EXPECT_LE(seconds_long_before(w, since_us, 200), 0.6)
        << "three of the helper's turns (0.3 s) after, and the commit after them (" << w.wal_frames << " frames)";
    EXPECT_EQ(w.copied, w.wal_frames) << "copied whole, so the next commit starts the WAL afresh";
    since_us = w.began_us + w.took_us;
  }
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE kind = 'alarm'"), static_cast<int>(seq));
}

// The helper may already be in a pass when the WAL turns crowded, and niced on a full core
// that pass can last seconds: the writer's tries found it running, and the WAL reached
// 121 MB. The writer now stops it. Here each of the helper's page writes takes 20 ms, so
// its passes last seconds too.
TEST_F(JournalTest, TheWriterStopsAHelpersPassThatHoldsTheWalBackAndStartsItAfreshItself) {
  wal_write_gathering_vfs();  // the writer's own VFS, over the platform's and not the slow one
  testing::slow_database_writes slow(std::chrono::milliseconds(20));
  auto j = std::make_unique<journal>(file.path(), figures, log);
  start_timed(*j, 200);
  auto seq = stream_for(*j, std::chrono::milliseconds(1600));
  slow.stop_slowing();
  j->stop();
  j.reset();

  auto rows = read_timeline(timeline_path());
  auto helper_stopped = std::count_if(rows['h'].begin(), rows['h'].end(), [](const auto& h) { return h.copied < 0; });
  EXPECT_GE(helper_stopped, 1) << "a pass of the helper's was stopped";
  int passes = 0;
  auto since_us = rows['c'].front().began_us;
  for (const auto& w : rows['w']) {
    if (w.wal_frames < 0) continue;  // a try that found the helper's pass running
    ++passes;
    EXPECT_LE(seconds_long_before(w, since_us, 200), 0.6)
        << "within about three of the helper's turns of the WAL growing long (" << w.wal_frames << " frames)";
    EXPECT_EQ(w.copied, w.wal_frames) << "copied whole, so the next commit starts the WAL afresh";
    since_us = w.began_us + w.took_us;
  }
  EXPECT_GE(passes, 2) << "the writer started the WAL afresh more than once in 1.6 s";
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE kind = 'alarm'"), static_cast<int>(seq));
}

// A clean stop leaves every commit in the database file, the WAL empty, however much was
// queued when it came: the helper's last pass waits for the writer's last commit.
TEST_F(JournalTest, AStopWithALongQueueBehindItLeavesEveryCommitInTheDatabaseFile) {
  journal j(file.path(), figures, log);
  start_timed(j, 200);  // the writer finishes checkpoints of its own while it drains the queue
  stream_for(j, std::chrono::milliseconds(200));
  std::vector<case_record> cases(32'000);  // 2,000 commits of the projection's cases, a second or so
  for (std::size_t i = 0; i < cases.size(); ++i) cases[i].case_id = std::int64_t(i + 1);
  j.save_cases(std::move(cases), 1);
  j.stop();

  EXPECT_EQ(std::filesystem::file_size(file.path() + "-wal"), 0u);
  auto rows = read_timeline(timeline_path());
  auto turned_away = std::count_if(rows['w'].begin(), rows['w'].end(), [](const auto& w) { return w.wal_frames < 0; });
  // The helper's last pass, begun beside the writer, turned its tries away by the thousand
  // (5,573 in one stop). A pass of the helper's own turn running as the stop came may turn
  // one or two away (once in a clean-clone run on a quicker host), and is then stopped.
  EXPECT_LE(turned_away, 3) << "the writer's checkpoints were not turned away by the helper's last pass";
  EXPECT_EQ(count("SELECT count(*) FROM cases"), 32'000);
}

// A backup or a long report holds the WAL while it reads: no pass can finish it then, and
// the pass after the reader copies everything it held. That copy is the helper's to make,
// not the writer's, with acks held behind it.
TEST_F(JournalTest, WhileAReaderHoldsTheWalTheWriterLeavesTheCopyingToTheHelper) {
  journal j(file.path(), figures, log);
  start_timed(j, 200);
  auto seq = stream_for(j, std::chrono::milliseconds(300));
  auto reader = open_database(file.path());
  reader->exec("BEGIN");
  reader->execAndGet("SELECT count(*) FROM events");  // its snapshot, held until COMMIT
  auto held_from_us = wall_us();
  seq = stream_for(j, std::chrono::milliseconds(1500), seq);
  auto held_until_us = wall_us();
  auto wal_while_held = figures.journal_wal_bytes.Value();
  reader->exec("COMMIT");
  stream_for(j, std::chrono::milliseconds(700), seq);
  j.stop();

  auto rows = read_timeline(timeline_path());
  int during = 0, finished_after = 0;
  for (const auto& w : rows['w']) {
    // From 0.3 s in: the helper has seen the reader by then (two of its turns).
    if (w.began_us > held_from_us + 300'000 && w.began_us < held_until_us) ++during;
    if (w.began_us > held_until_us && w.wal_frames > 0 && w.copied == w.wal_frames) ++finished_after;
  }
  EXPECT_LE(during, 2) << "the writer's passes while the reader held the WAL for 1.5 s (one every 0.1 s without)";
  EXPECT_GE(finished_after, 1) << "once the reader was done, the WAL was started afresh";
  auto helper_copied_whole = std::count_if(rows['h'].begin(), rows['h'].end(), [&](const auto& h) {
    return h.began_us > held_until_us && h.wal_frames > 1000 && h.copied == h.wal_frames;
  });
  EXPECT_GE(helper_copied_whole, 1) << "the helper copied what the reader had held";
  EXPECT_GT(wal_while_held, double(wal_bytes_for(1000))) << "/metrics showed the WAL growing while the reader held it";
  EXPECT_LT(figures.journal_wal_bytes.Value(), wal_while_held) << "and shorter once it was started afresh";
}

// The WAL keeps the length the last commit left until the next commit starts it afresh. At
// an idle centre after a storm that next commit may be long in coming: /metrics must not
// show a WAL held (LanternWalHeldLong fires after 15 minutes) once the helper has copied it all.
TEST_F(JournalTest, OnceTheHelperHasCopiedTheWholeWalTheGaugeShowsNothingHeldWithoutAnotherCommit) {
  journal j(file.path(), figures, log);
  j.start(collect);
  auto shown_within_3s = [&](auto wanted) {  // the gauge is set after the acks are handed over
    for (int tries = 0; tries < 300 && !wanted(figures.journal_wal_bytes.Value()); ++tries)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return figures.journal_wal_bytes.Value();
  };
  auto seq = stream_for(j, std::chrono::milliseconds(300));
  EXPECT_EQ(shown_within_3s([](double b) { return b == 0; }), 0)
      << "3 s after the last commit, the helper copying every 0.1 s";

  EXPECT_EQ(append(j, alarm("dev-1", seq + 1)), journal::outcome::stored);
  EXPECT_GT(shown_within_3s([](double b) { return b > 0; }), 0) << "the next commit shows the WAL it wrote";
  j.stop();
}

TEST_F(JournalTest, AShortWalIsNotStartedAfreshEverySecond) {
  auto path = file.folder() / "timeline.txt";
  journal j(file.path(), figures, log);
  j.keep_timeline(path.string());
  j.start(collect);
  stream_for(j, std::chrono::milliseconds(1600));
  j.stop();
  auto rows = read_timeline(path);
  EXPECT_GE(rows['h'].size(), 2u) << "the helper copies all the while";
  EXPECT_TRUE(rows['w'].empty()) << "no pass of the writer's, with acks held behind it, for a WAL of "
                                 << rows['h'].back().wal_frames << " frames";
}

// Under a steady stream a commit for every two or three alarms made the sync most of what
// an alarm cost. The writer now waits up to journal::gather_wait for more once requests come
// while it commits; an alarm found with the writer idle is committed alone, at once.
TEST_F(JournalTest, UnderASteadyStreamEachCommitGathersSeveralAlarmsAndALoneOneGoesAlone) {
  auto path = file.folder() / "timeline.txt";
  journal j(file.path(), figures, log);
  j.keep_timeline(path.string());
  j.start(collect);
  EXPECT_EQ(append(j, alarm("dev-0", 1)), journal::outcome::stored);
  // 2,000 alarms at about 5,000 a second, not waiting for their acks, as devices send.
  std::atomic<int> acked{0};
  constexpr int stream = 2000;
  auto next = std::chrono::steady_clock::now();
  for (int i = 0; i < stream; ++i) {
    next += std::chrono::microseconds(200);
    std::this_thread::sleep_until(next);
    j.append(alarm("dev-" + std::to_string(1 + i % 50), 2 + std::uint64_t(i)), [&](journal::outcome) { ++acked; });
  }
  auto given_up = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (acked < stream && std::chrono::steady_clock::now() < given_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_EQ(acked.load(), stream) << "every alarm answered within a minute";
  j.stop();

  auto rows = read_timeline(path);
  ASSERT_FALSE(rows['c'].empty());
  EXPECT_EQ(rows['c'].front().requests, 1u) << "the first alarm, with the writer idle, went alone";
  std::uint32_t alarms = 0;
  for (const auto& r : rows['c']) alarms += r.alarms;
  EXPECT_EQ(alarms, std::uint32_t(stream + 1));
  double per_commit = double(stream + 1) / double(rows['c'].size());
  // About one alarm every 200 us: a gathering of up to 1 ms holds about five.
  EXPECT_GE(per_commit, 3.5) << rows['c'].size() << " commits";
}

}  // namespace
}  // namespace lantern
