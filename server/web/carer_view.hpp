#pragma once
// What a carer's page shows for the alarm they are asked to help with: who, what, when, how
// to talk to them and their medical notes; the address, phone and access details only once
// the carer has said "I'm going" (and while they are attending).

#include "centre/case_record.hpp"
#include "centre/centre.hpp"
#include "console.pb.h"

namespace lantern {

lantern::console::v1::CarerView carer_view(const case_record& c, int attempt, const centre& records,
                                           std::int64_t now_ms);

}  // namespace lantern
