#pragma once
// The audit chain's hash of the rows the journal inserts, computed before the insert so
// the row is written once (store/audit_chain has the canonical bytes). Each lists the
// chained columns in order, with the values and SQLite types the journal binds.

#include "centre/case_record.hpp"
#include "store/audit_chain.hpp"

#include <cstdint>
#include <string_view>

namespace lantern {

chain_digest alarm_row_hash(const chain_digest& previous, std::int64_t id, const alarm_event& alarm, int seq_reuse);
chain_digest action_row_hash(const chain_digest& previous, std::int64_t id, std::int64_t at_ms, std::string_view actor,
                             std::string_view payload);

}  // namespace lantern
