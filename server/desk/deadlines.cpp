#include "desk/deadlines.hpp"

#include "desk/escalation_chain.hpp"

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
      const auto* a = current_attempt(c.escalation);
      if (a == nullptr) return {{"follow-up due", c.escalated_at_ms + follow_up_after_ms}};
      const auto* carer = records.find_carer(a->carer_id);
      std::string who = carer ? carer->name : "responder";
      if (a->state == attempt_state::notified) return {{who + " to reply", a->reply_by_ms}};
      if (a->state == attempt_state::going)
        return {{who + " to arrive", a->eta_at_ms}, {who + " overdue", a->arrive_by_ms}};
      return {{"follow-up due", a->notified_at_ms + follow_up_after_ms}};
    }
    case case_state::resolved:
      return {};
  }
  return {};
}

}  // namespace lantern
