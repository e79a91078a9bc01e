// libFuzzer target: any text a console sends over /ws, as the server takes it: JSON into a
// Command, then a case command, checked and (when allowed) applied by a real desk holding one
// open case, by an operator or a supervisor. Any crash, hang or leak is a finding.
#include "desk/desk.hpp"
#include "web/console_command.hpp"

#include <google/protobuf/util/json_util.h>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace {

using namespace lantern;

centre small_centre() {
  centre c;
  c.operators["amira"] = operator_account{"amira", "Amira Khan", operator_role::operator_, {"en-GB"}};
  c.operators["gwen"] = operator_account{"gwen", "Gwen Price", operator_role::supervisor, {"en-GB", "cy"}};
  carer sarah;
  sarah.id = "carer-sarah";
  sarah.name = "Sarah Ellis";
  sarah.relationship = "daughter";
  sarah.phone = "+441134960001";
  c.carers[sarah.id] = sarah;
  person p;
  p.id = "person-1";
  p.name = "Margaret Ellis";
  p.preferred_language = "en-GB";
  p.plan.responders.push_back("carer-sarah");
  c.persons[p.id] = p;
  device_record d;
  d.id = "dev-1";
  d.person_id = p.id;
  d.kind = "pendant";
  c.add_device(d);
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const centre records = small_centre();
  std::string text(reinterpret_cast<const char*>(data), size);
  lantern::console::v1::Command request;
  if (!google::protobuf::util::JsonStringToMessage(text, &request).ok()) return 0;
  auto command = case_command_from(request);
  auto* valid = std::get_if<case_command>(&command);
  if (valid == nullptr) return 0;
  desk floor(records);
  alarm_event alarm;
  alarm.event_id = 1;
  alarm.device_id = "dev-1";
  alarm.device_seq = 1;
  alarm.person_id = "person-1";
  alarm.type = alarm_type::fall;
  alarm.occurred_at_ms = alarm.received_at_ms = 1'764'511'402'000;
  floor.apply(alarm);
  // The same command from each of them, in turn: an operator's, then a supervisor's.
  std::int64_t event_id = 2;
  for (const char* actor : {"amira", "gwen", "amira"}) {
    if (floor.check(*valid, actor, alarm.received_at_ms + 1000)) continue;
    floor.execute(case_action{event_id++, alarm.received_at_ms + 1000, actor, *valid, 0});
  }
  (void)floor.queue();
  return 0;
}
