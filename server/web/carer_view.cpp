#include "web/carer_view.hpp"

#include "desk/escalation_chain.hpp"

namespace lantern {

namespace v1 = lantern::console::v1;

namespace {

// What is happening beyond the carer's own state, in words for a phone screen.
std::string notice_for(const case_record& c, const responder_attempt& mine, const centre& records) {
  if (!c.is_open()) return "The centre has closed this alarm. Thank you.";
  for (const auto& a : c.escalation.attempts) {
    if (&a == &mine || (a.state != attempt_state::going && a.state != attempt_state::arrived)) continue;
    const auto* carer = records.find_carer(a.carer_id);
    return (carer ? carer->name : std::string("Another carer")) + " is on the way. You are not needed now: thank you.";
  }
  switch (mine.state) {
    case attempt_state::timed_out:
      return "We did not hear from you in time and are asking someone else. If you can still go, say so.";
    case attempt_state::declined:
      return "Thank you for letting us know. We are asking someone else.";
    case attempt_state::cancelled:
    case attempt_state::skipped:
      return "The centre no longer needs you for this alarm. Thank you.";
    default:
      return {};
  }
}

}  // namespace

v1::CarerView carer_view(const case_record& c, int attempt, const centre& records, std::int64_t now_ms) {
  v1::CarerView view;
  view.set_server_time_ms(now_ms);
  view.set_case_id(std::to_string(c.case_id));
  view.set_alarm_type(std::string(to_string(c.type)));
  view.set_alarm_label(alarm_label(c.type));
  view.set_opened_at_ms(c.opened_at_ms);
  view.set_case_closed(!c.is_open());
  view.set_centre_name(records.settings.name);
  view.set_centre_phone(records.settings.phone);
  const auto* a = c.escalation.attempt(attempt);
  if (a == nullptr) return view;
  if (const auto* carer = records.find_carer(a->carer_id)) view.set_carer_name(carer->name);
  view.set_my_state(std::string(to_string(a->state)));
  view.set_reply_by_ms(a->reply_by_ms);
  view.set_eta_at_ms(a->eta_at_ms);
  view.set_notice(notice_for(c, *a, records));
  const auto* p = person_of(c, records);
  if (p == nullptr) return view;
  view.set_person_name(p->name);
  view.set_preferred_language(p->preferred_language);
  view.set_communication(p->communication);
  view.set_what_matters(p->what_matters);
  view.set_medical_notes(p->medical_notes);
  view.set_medications(p->medications);
  view.set_allergies(p->allergies);
  // The operator's instructions ("send a responder; call 999") are not for carers.
  if (const auto* rule = p->plan.rule_for(c.type)) view.set_instructions(rule->carer_instructions);
  // Why they are asked: what the operator wrote when escalating, the last time.
  for (auto it = c.timeline.rbegin(); it != c.timeline.rend(); ++it)
    if (it->kind == "escalate") {
      view.set_escalation_reason(it->text);
      break;
    }
  bool attending = c.is_open() && (a->state == attempt_state::going || a->state == attempt_state::arrived);
  if (attending) {
    view.set_address(p->address);
    view.set_person_phone(p->phone);
    view.set_access(p->access);
    for (const auto& hazard : p->plan.hazards) view.add_hazards(hazard);
  }
  return view;
}

}  // namespace lantern
