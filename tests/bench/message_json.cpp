// lantern-json-bench: what writing a console message as JSON costs, protobuf's printer
// beside the server's own writer (web/message_json), on a storm's messages: a case's update
// (compact, as every update goes out) and a snapshot of N open cases (with defaults, as a
// snapshot goes out). Prints a markdown table of µs per message and the ratio.
//
//   lantern-json-bench [open cases in the snapshot, default 2000]
#include "web/message_json.hpp"
#include "console.pb.h"

#include <google/protobuf/util/json_util.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace {

namespace v1 = lantern::console::v1;

void fill_case(v1::Case& c, int id, bool with_card) {
  c.set_case_id(std::to_string(id));
  c.set_alarm_type("fall");
  c.set_priority("critical");
  c.set_state("queued");
  c.set_opened_at_ms(1'796'171'009'717);
  c.set_last_alarm_at_ms(1'796'171'009'917);
  c.set_alarm_count(3);
  c.set_device_id("sim-102");
  c.set_detail("t=52017860949");
  c.set_language("en-GB");
  c.set_language_first_until_ms(1'796'171'029'717);
  if (with_card) {
    auto* p = c.mutable_person();
    p->set_person_id("sim-person-102");
    p->set_name("Simulated Person 102");
    p->set_date_of_birth("1940-01-01");
    p->set_age(86);
    p->set_address("102 Test Street, Leeds LS1 1AA");
    p->set_medical_notes("Type 2 diabetes; takes warfarin. Hard of hearing: speak slowly.");
    for (int r = 0; r < 2; ++r) {
      auto* responder = p->add_responders();
      responder->set_name("Carer " + std::to_string(r));
      responder->set_phone("+44 113 496 0000");
      responder->set_available_now(true);
    }
  }
  for (int t = 0; t < 4; ++t) {
    auto* entry = c.add_timeline();
    entry->set_at_ms(1'796'171'009'717 + t);
    entry->set_kind("alarm");
    entry->set_actor("sim-102");
    entry->set_text("t=52017860949");
  }
  for (const char* label : {"offered to all operators", "60 s answer target", "180 s answer target"}) {
    auto* d = c.add_deadlines();
    d->set_label(label);
    d->set_at_ms(1'796'171'069'717);
  }
}

std::string by_protobuf(const google::protobuf::Message& message, bool with_defaults) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = with_defaults;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

std::string by_lantern(const google::protobuf::Message& message, bool with_defaults) {
  std::string out;
  lantern::append_message_json(out, message, with_defaults);
  return out;
}

// µs per call, over at least `rounds` calls and 0.5 s.
template <class Write>
double time_per_call(Write write, int rounds) {
  auto start = std::chrono::steady_clock::now();
  std::size_t bytes = 0;
  int calls = 0;
  while (calls < rounds || std::chrono::steady_clock::now() - start < std::chrono::milliseconds(500)) {
    bytes += write().size();
    ++calls;
  }
  auto elapsed = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
  if (bytes == 0) std::printf("(nothing written)\n");
  return elapsed / calls;
}

}  // namespace

int main(int argc, char** argv) {
  int open_cases = argc > 1 ? std::stoi(argv[1]) : 2000;
  v1::ConsoleEvent update;
  update.mutable_update()->set_version(123456);
  fill_case(*update.mutable_update()->mutable_case_(), 1042, false);
  v1::ConsoleEvent snapshot;
  for (int i = 0; i < open_cases; ++i) fill_case(*snapshot.mutable_snapshot()->add_cases(), i, true);

  std::printf("| message | bytes | protobuf's printer µs | Lantern's writer µs | ratio |\n|---|---|---|---|---|\n");
  auto row = [](const char* name, const google::protobuf::Message& message, bool with_defaults, int rounds) {
    double theirs = time_per_call([&] { return by_protobuf(message, with_defaults); }, rounds);
    double ours = time_per_call([&] { return by_lantern(message, with_defaults); }, rounds);
    std::printf("| %s | %zu | %.1f | %.1f | %.1f× faster |\n", name, by_lantern(message, with_defaults).size(), theirs,
                ours, theirs / ours);
  };
  row("a case's update (compact)", update, false, 20000);
  auto name = "a snapshot of " + std::to_string(open_cases) + " open cases (with defaults)";
  row(name.c_str(), snapshot, true, 5);
  return 0;
}
