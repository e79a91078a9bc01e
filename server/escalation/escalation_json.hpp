#pragma once
// A case's escalation as the cases table keeps it: one JSON document per case (the chain
// and its attempts change together and are only ever read whole).

#include "escalation/escalation_record.hpp"

#include <string>
#include <string_view>

namespace lantern {

std::string escalation_to_json(const escalation_record& e);
// An empty or unreadable document gives an escalation that never started.
escalation_record escalation_from_json(std::string_view text);

}  // namespace lantern
