// The update log every console reads from: what a console at a position gets is every
// update after it, in order, one per line, and nothing (a snapshot instead) once the log no
// longer holds where it was.
#include "web/update_log.hpp"

#include <gtest/gtest.h>
#include <boost/asio/buffer.hpp>

#include <string>
#include <thread>

namespace lantern {
namespace {

std::string text_of(const update_log::span& span) {
  std::string out;
  for (const auto& b : span.buffers) out.append(static_cast<const char*>(b.data()), b.size());
  return out;
}

TEST(UpdateLog, AConsoleGetsEveryUpdateAfterItsPositionOnePerLine) {
  update_log log(1024 * 1024);
  auto start = log.end();
  log.append(R"({"update":1})");
  auto after_first = log.end();
  log.append(R"({"update":2})");
  log.append(R"({"update":3})");

  auto all = log.read(start);
  ASSERT_TRUE(all);
  EXPECT_EQ(text_of(*all), "{\"update\":1}\n{\"update\":2}\n{\"update\":3}");
  EXPECT_EQ(all->end, log.end());
  EXPECT_EQ(all->end.count, 3u);
  EXPECT_EQ(all->bytes, text_of(*all).size());

  auto rest = log.read(after_first);
  ASSERT_TRUE(rest);
  EXPECT_EQ(text_of(*rest), "{\"update\":2}\n{\"update\":3}");

  auto none = log.read(log.end());
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->buffers.empty());
  EXPECT_EQ(none->end, log.end());
}

// A newline parts updates: one inside an update (JSON whitespace between tokens) would cut it
// in two for every console, so it is logged as a space.
TEST(UpdateLog, ANewlineInsideAnUpdateDoesNotSplitIt) {
  update_log log(1024 * 1024);
  auto start = log.end();
  log.append("{\"case\":\n1,\n\"note\":\"a\\nb\"}");
  log.append(R"({"case":2})");
  auto all = log.read(start);
  ASSERT_TRUE(all);
  EXPECT_EQ(text_of(*all), "{\"case\": 1, \"note\":\"a\\nb\"}\n{\"case\":2}");
  EXPECT_EQ(all->end.count, 2u);
}

// An answer queued when the log ended at `to` goes after the updates before it, and before
// the ones logged since.
TEST(UpdateLog, AReadStopsWhereAQueuedMessageWasMade) {
  update_log log(1024 * 1024);
  auto start = log.end();
  log.append("a");
  auto answer_made = log.end();
  log.append("b");
  auto until = log.read(start, answer_made);
  ASSERT_TRUE(until);
  EXPECT_EQ(text_of(*until), "a");
  EXPECT_EQ(until->end, answer_made);
  // A message from another thread may name an end older than where the console is.
  auto older = log.read(log.end(), answer_made);
  ASSERT_TRUE(older);
  EXPECT_TRUE(older->buffers.empty());
  EXPECT_EQ(older->end, log.end());
}

TEST(UpdateLog, UpdatesSpanBlocksAndOneBiggerThanABlockGetsItsOwn) {
  update_log log(1024 * 1024, /*block_bytes=*/16);
  auto start = log.end();
  std::string expected;
  for (int i = 0; i < 20; ++i) {
    auto update = std::string(static_cast<std::size_t>(i % 7 + 1), char('a' + i % 26));
    if (i == 10) update = std::string(100, 'X');  // bigger than a block
    log.append(update);
    expected += (i ? "\n" : "") + update;
  }
  auto all = log.read(start);
  ASSERT_TRUE(all);
  EXPECT_GT(all->buffers.size(), 2u);
  EXPECT_EQ(text_of(*all), expected);
  EXPECT_EQ(all->end.count, 20u);
}

// A console too far behind is not kept waiting on memory: the log drops what is older than
// it keeps, and that console's read says so (it catches up with a snapshot).
TEST(UpdateLog, APositionNoLongerKeptReadsAsNothing) {
  update_log log(/*kept_bytes=*/64, /*block_bytes=*/32);
  auto start = log.end();
  for (int i = 0; i < 100; ++i) log.append("0123456789");
  EXPECT_FALSE(log.read(start)) << "a position dropped long ago";
  auto recent = log.end();
  log.append("fresh");
  auto tail = log.read(recent);
  ASSERT_TRUE(tail);
  EXPECT_EQ(text_of(*tail), "fresh");
}

// A read in flight keeps its blocks alive even as the log drops them.
TEST(UpdateLog, AReadKeepsItsBytesWhileTheLogMovesOn) {
  update_log log(/*kept_bytes=*/64, /*block_bytes=*/32);
  auto start = log.end();
  log.append("first update");
  auto span = log.read(start);
  ASSERT_TRUE(span);
  for (int i = 0; i < 100; ++i) log.append("0123456789");
  EXPECT_FALSE(log.read(start));
  EXPECT_EQ(text_of(*span), "first update");
}

// Appended on one thread while read on another: every reader sees whole updates, in order.
TEST(UpdateLog, ReadersOnOtherThreadsSeeWholeUpdatesInOrder) {
  update_log log(1 << 20, 256);
  constexpr int updates = 20000;
  std::thread writer([&] {
    for (int i = 0; i < updates; ++i) log.append("u" + std::to_string(i));
  });
  int next = 0;
  update_log::position at;
  while (next < updates) {
    auto span = log.read(at);
    ASSERT_TRUE(span);
    if (span->buffers.empty()) continue;
    auto text = text_of(*span);
    std::size_t from = 0;
    while (from <= text.size()) {
      auto end = std::min(text.find('\n', from), text.size());
      ASSERT_EQ(text.substr(from, end - from), "u" + std::to_string(next));
      ++next;
      from = end + 1;
    }
    at = span->end;
  }
  writer.join();
  EXPECT_EQ(at.count, std::uint64_t(updates));
}

// A console far behind gets its backlog in frames of whole updates of bounded size (a page
// reads a frame whole before it shows any of it), and reads on from where each ended.
TEST(UpdateLog, AFrameHoldsWholeUpdatesUpToItsBudgetAndTheNextReadGoesOnFromThere) {
  update_log log(1024 * 1024, /*block_bytes=*/64);
  auto start = log.end();
  std::vector<std::string> sent;
  for (int i = 0; i < 200; ++i) {
    sent.push_back("update-" + std::to_string(i) + std::string(static_cast<std::size_t>(i % 13), 'x'));
    if (i == 50) sent.back() = std::string(300, 'B');  // bigger than the budget and a block
    log.append(sent.back());
  }
  std::vector<std::string> got;
  update_log::position at = start;
  for (int frame = 0; frame < 1000 && at != log.end(); ++frame) {
    auto span = log.read(at, std::nullopt, 100);
    ASSERT_TRUE(span);
    auto text = text_of(*span);
    ASSERT_FALSE(text.empty());
    EXPECT_TRUE(text.size() <= 100 || text.find('\n') == std::string::npos)
        << "over the budget only as one update: " << text.size();
    EXPECT_EQ(span->bytes, text.size());
    std::size_t from = 0;
    for (;;) {
      auto end = std::min(text.find('\n', from), text.size());
      got.push_back(text.substr(from, end - from));
      if (end == text.size()) break;
      from = end + 1;
    }
    EXPECT_EQ(span->end.count, got.size()) << "the end counts the updates taken";
    at = span->end;
  }
  EXPECT_EQ(got, sent);
}

}  // namespace
}  // namespace lantern
