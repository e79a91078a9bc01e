#include "desk/deadlines.hpp"

namespace lantern {

std::vector<deadline> deadlines_of(const case_record& c, const centre& records) {
  switch (c.state) {
    case case_state::queued: {
      std::vector<deadline> out;
      if (c.language_first_until_ms > c.opened_at_ms)
        out.push_back({"offered to all operators", c.language_first_until_ms});
      out.push_back({"60 s answer target", c.opened_at_ms + answer_target_ms});
      out.push_back({"180 s answer target", c.opened_at_ms + answer_target_long_ms});
      return out;
    }
    case case_state::accepted:
      return {{"follow-up due", c.owned_since_ms + follow_up_after_ms}};
    case case_state::escalated: {
      std::int64_t timeout_s = escalation_policy{}.ack_timeout_s;
      if (const auto* p = records.find_person(c.person_id)) timeout_s = p->plan.escalation.ack_timeout_s;
      return {{"responder to reply", c.escalated_at_ms + timeout_s * 1000}};
    }
    case case_state::resolved:
      return {};
  }
  return {};
}

}  // namespace lantern
