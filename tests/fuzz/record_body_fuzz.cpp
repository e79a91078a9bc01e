// libFuzzer target: any body sent to the records API. The first byte picks the record kind
// and whether it is a create, an update or an action (deactivate, review); the rest is the
// body. Each is a change or named field errors; a crash, hang or leak is a finding.
#include "web/record_change_body.hpp"

#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lantern;
  if (size < 1) return 0;
  static const centre records;
  static constexpr record_kind kinds[] = {record_kind::person, record_kind::carer, record_kind::device,
                                          record_kind::operator_account, record_kind::settings};
  static constexpr const char* keys[] = {"id", "id", "id", "username", "id"};
  int pick = data[0] % 5;
  int mode = (data[0] / 5) % 4;
  boost::system::error_code ec;
  auto parsed = boost::json::parse({reinterpret_cast<const char*>(data + 1), size - 1}, ec);
  if (ec || !parsed.is_object()) return 0;
  auto body = std::move(parsed.as_object());
  change_or_errors result;
  if (mode == 0)
    result = change_from_record_body(kinds[pick], keys[pick], "", body, records);
  else if (mode == 1)
    result = change_from_record_body(kinds[pick], keys[pick], "rec-1", body, records);
  else
    result =
        change_from_action_body(kinds[pick], "rec-1", mode == 2 ? "deactivate" : "review", body, 1'764'511'402'000);
  if (auto* errors = std::get_if<std::vector<field_error>>(&result); errors && errors->empty()) std::abort();
  return 0;
}
