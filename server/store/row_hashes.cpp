#include "store/row_hashes.hpp"

namespace lantern {

chain_digest alarm_row_hash(const chain_digest& previous, std::int64_t id, const alarm_event& alarm, int seq_reuse) {
  bool by_hand = !alarm.opened_by.empty();
  bool unit = !by_hand && !alarm.resend_digest.empty();  // an alarm unit's: the digest, no seq
  event_hasher hash(previous);
  hash.integer(id);
  hash.integer(alarm.received_at_ms);
  hash.text("alarm");
  hash.text(alarm.device_id);
  if (by_hand || unit)
    hash.null();
  else
    hash.integer(static_cast<std::int64_t>(alarm.device_seq));
  hash.text(alarm.person_id);
  hash.text(to_string(alarm.type));
  hash.integer(alarm.occurred_at_ms);
  hash.text(alarm.detail);
  if (by_hand)
    hash.text(alarm.opened_by);  // actor
  else
    hash.null();
  hash.null();  // payload
  hash.null();  // record_id
  hash.integer(static_cast<std::int64_t>(alarm.device_epoch));
  hash.integer(seq_reuse);
  if (unit)
    hash.blob(alarm.resend_digest);
  else
    hash.null();
  return hash.finish();
}

chain_digest action_row_hash(const chain_digest& previous, std::int64_t id, std::int64_t at_ms, std::string_view actor,
                             std::string_view payload) {
  event_hasher hash(previous);
  hash.integer(id);
  hash.integer(at_ms);
  hash.text("case_action");
  for (int column = 0; column < 6; ++column) hash.null();  // device_id to detail
  hash.text(actor);
  hash.text(payload);
  hash.null();      // record_id
  hash.integer(0);  // device_epoch
  hash.integer(0);  // seq_reuse
  hash.null();      // resend_digest
  return hash.finish();
}

}  // namespace lantern
