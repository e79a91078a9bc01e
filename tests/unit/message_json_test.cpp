// The console's JSON writer against protobuf's own JSON printer: the same JSON values for
// every kind of field console.proto uses, with and without defaults, and strings a record
// or a device could carry.
#include "web/message_json.hpp"
#include "console.pb.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/wrappers.pb.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace {

namespace v1 = lantern::console::v1;
using namespace std::string_literals;  // "\0" inside a literal

std::string by_protobuf(const google::protobuf::Message& message, bool with_defaults) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = with_defaults;
  std::string out;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(message, &out, options).ok());
  return out;
}

std::string by_lantern(const google::protobuf::Message& message, bool with_defaults) {
  std::string out;
  lantern::append_message_json(out, message, with_defaults);
  return out;
}

void expect_same_json(const google::protobuf::Message& message) {
  for (bool with_defaults : {false, true}) {
    SCOPED_TRACE(with_defaults ? "with defaults" : "compact");
    auto ours = by_lantern(message, with_defaults);
    EXPECT_EQ(boost::json::parse(ours), boost::json::parse(by_protobuf(message, with_defaults))) << ours;
  }
}

v1::ConsoleEvent a_case_update(std::string text) {
  v1::ConsoleEvent event;
  auto* update = event.mutable_update();
  update->set_version(18'446'744'073'709'551'615ULL);  // past what a JavaScript number holds
  update->set_server_time_ms(1'796'171'009'720);
  auto* c = update->mutable_case_();
  c->set_case_id("1042");
  c->set_alarm_type("fall");
  c->set_alarm_count(3);
  c->set_cancelled_at_unit(true);
  c->set_opened_at_ms(-5);
  c->set_detail(text);
  c->set_timeline_from(2);
  auto* person = c->mutable_person();
  person->set_name(text);
  person->set_age(86);
  person->add_hazards("dog");
  person->add_hazards(text);
  auto* entry = c->add_timeline();
  entry->set_kind("alarm");
  entry->set_text(text);
  c->add_timeline();  // all defaults: {} compact
  c->mutable_escalation()->set_status("calling");
  c->mutable_escalation()->add_chain("carer-1");
  return event;
}

TEST(MessageJson, ACaseUpdateIsTheJsonProtobufWrites) {
  expect_same_json(a_case_update("Siân's key safe: \"1234\", back door \\ 2nd\tfloor\nline two"));
}

TEST(MessageJson, ControlCharactersAndEveryUnicodePlaneAreEscapedAsProtobufDoes) {
  expect_same_json(a_case_update("nul \0 bell \a esc \x1b del \x7f"s + " é 中 😀 \u2028"));
}

TEST(MessageJson, AnEmptyMessageIsEmptyCompactAndListsItsDefaultsOtherwise) {
  v1::Snapshot snapshot;
  expect_same_json(snapshot);
  EXPECT_EQ(by_lantern(snapshot, false), "{}");
  auto with = boost::json::parse(by_lantern(snapshot, true)).as_object();
  EXPECT_EQ(with.at("cases"), boost::json::array());
  EXPECT_EQ(with.at("version"), "0");
  EXPECT_FALSE(with.contains("operator")) << "an unset message is left out, as protobuf does";
}

TEST(MessageJson, FloorFiguresWithFractionsAndAOneofMemberAtItsDefault) {
  v1::ConsoleEvent event;
  auto* floor = event.mutable_floor();
  floor->mutable_last_hour()->set_share_60s(0.975);
  floor->mutable_last_hour()->set_share_180s(1);
  floor->mutable_today()->set_share_60s(1.0 / 3);
  floor->set_below_target(true);
  floor->add_operators()->set_cases(4);
  expect_same_json(event);
  v1::ConsoleEvent empty_presence;
  empty_presence.mutable_presence();  // set, though every field is at its default
  expect_same_json(empty_presence);
  EXPECT_EQ(by_lantern(empty_presence, false), R"({"presence":{}})");
}

// console.proto has no float field yet; the day one comes, its 0.1 must not read
// 0.10000000149011612 on an operator's screen. (FloatValue's own JSON form is a bare number
// in protobuf's printer, so the figure is checked here rather than compared with it.)
TEST(MessageJson, AFloatIsWrittenWithTheShortestDigitsOfAFloat) {
  google::protobuf::FloatValue value;
  value.set_value(0.1f);
  std::string out;
  lantern::append_message_json(out, value, false);
  EXPECT_EQ(out, R"({"value":0.1})");
  google::protobuf::DoubleValue twice;
  twice.set_value(0.1);
  out.clear();
  lantern::append_message_json(out, twice, false);
  EXPECT_EQ(out, R"({"value":0.1})");
}

TEST(MessageJson, BytesThatAreNotUtf8BecomeReplacementCharactersSoTheFrameStaysText) {
  for (std::string bad :
       {std::string("cut \xE2\x82"), std::string("lone \x80 continuation"), std::string("overlong \xC0\xAF slash"),
        std::string("surrogate \xED\xA0\x80"), std::string("past U+10FFFF \xF4\x90\x80\x80"), std::string("\xFF")}) {
    std::string out;
    lantern::append_json_string(out, bad);
    auto parsed = boost::json::parse(out);  // valid JSON, and so valid UTF-8
    EXPECT_NE(std::string(parsed.as_string()).find("\xEF\xBF\xBD"), std::string::npos) << out;
  }
  std::string good;
  lantern::append_json_string(good, "ok \xF0\x9F\x98\x80");
  EXPECT_EQ(good, "\"ok \xF0\x9F\x98\x80\"");
}

}  // namespace
