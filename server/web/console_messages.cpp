#include "web/console_messages.hpp"

#include "centre/calendar.hpp"
#include "desk/availability.hpp"
#include "desk/deadlines.hpp"
#include "web/message_json.hpp"

#include <algorithm>

namespace lantern::console_messages {

namespace v1 = lantern::console::v1;

namespace {

void add_codes(google::protobuf::RepeatedPtrField<v1::Code>& out, std::span<const code_label> codes) {
  for (const auto& c : codes) {
    auto* code = out.Add();
    code->set_id(std::string(c.id));
    code->set_label(std::string(c.label));
  }
}

// `type`: the case's, for the plan's instructions; nothing outside a case.
void fill_person(v1::PersonCard& card, const person& p, std::optional<alarm_type> type, std::int64_t opened_at_ms,
                 const centre& records, std::int64_t now_ms) {
  card.set_person_id(p.id);
  card.set_name(p.name);
  card.set_date_of_birth(p.date_of_birth);
  card.set_age(age_on(p.date_of_birth, opened_at_ms));
  card.set_address(p.address);
  card.set_phone(p.phone);
  card.set_preferred_language(p.preferred_language);
  card.set_communication(p.communication);
  card.set_what_matters(p.what_matters);
  card.set_medical_notes(p.medical_notes);
  card.set_medications(p.medications);
  card.set_allergies(p.allergies);
  card.set_gp(p.gp);
  card.set_coordinator(p.plan.coordinator);
  card.set_review_due(p.plan.review_due);
  if (const auto* rule = type ? p.plan.rule_for(*type) : nullptr) {
    card.set_instructions(rule->instructions);
  } else if (type) {
    // Nothing in the plan: the centre's default for the type, marked as such, not silence.
    const auto& defaults = records.settings.default_instructions;
    if (auto it = defaults.find(*type); it != defaults.end()) {
      card.set_instructions(it->second);
      card.set_instructions_are_default(true);
    }
  }
  for (const auto& hazard : p.plan.hazards) card.add_hazards(hazard);
  for (const auto& carer_id : p.plan.responders) {
    const auto* c = records.find_carer(carer_id);
    if (c == nullptr) continue;
    auto* r = card.add_responders();
    r->set_carer_id(c->id);
    r->set_name(c->name);
    r->set_relationship(c->relationship);
    r->set_phone(c->phone);
    for (const auto& lang : c->languages) r->add_languages(lang);
    r->set_available_now(is_available(*c, now_ms));
    if (!c->availability.empty()) r->set_availability(describe_availability(*c));
    r->set_availability_changes_at_ms(next_availability_change(*c, now_ms));
  }
  // Access details (p.access) are deliberately not copied: see console.proto.
}

void add_history(v1::PersonCard& card, std::span<const past_case> history) {
  for (const auto& past : history) {
    auto* p = card.add_recent_cases();
    p->set_case_id(std::to_string(past.case_id));
    p->set_alarm_type(std::string(to_string(past.type)));
    p->set_outcome(past.outcome);
    p->set_opened_at_ms(past.opened_at_ms);
    p->set_answer_ms(past.answered_at_ms ? past.answered_at_ms - past.opened_at_ms : 0);
  }
}

void fill_escalation(v1::Escalation& out, const escalation_record& e, const centre& records) {
  out.set_status(std::string(to_string(e.status)));
  out.set_pass(static_cast<std::uint32_t>(e.pass));
  out.set_passes(static_cast<std::uint32_t>(e.passes));
  out.set_ack_timeout_s(static_cast<std::uint32_t>(e.ack_timeout_s));
  for (const auto& id : e.chain) out.add_chain(id);
  for (const auto& a : e.attempts) {
    auto* m = out.add_attempts();
    m->set_number(static_cast<std::uint32_t>(a.number));
    m->set_pass(static_cast<std::uint32_t>(a.pass));
    m->set_carer_id(a.carer_id);
    if (const auto* carer = records.find_carer(a.carer_id)) {
      m->set_name(carer->name);
      m->set_relationship(carer->relationship);
    }
    m->set_state(std::string(to_string(a.state)));
    m->set_notified_at_ms(a.notified_at_ms);
    m->set_reply_by_ms(a.reply_by_ms);
    m->set_eta_at_ms(a.eta_at_ms);
    for (const auto& d : a.deliveries) {
      auto* delivery = m->add_deliveries();
      delivery->set_channel(d.channel);
      delivery->set_ok(d.ok);
      delivery->set_detail(d.detail);
      delivery->set_at_ms(d.at_ms);
    }
  }
}

}  // namespace

v1::PersonCard person_card(const person& p, const centre& records, std::span<const past_case> history,
                           std::int64_t now_ms) {
  v1::PersonCard card;
  fill_person(card, p, std::nullopt, now_ms, records, now_ms);
  add_history(card, history);
  return card;
}

v1::Case case_message(const case_record& c, const centre& records, std::span<const past_case> history,
                      case_parts parts) {
  v1::Case out;
  out.set_case_id(std::to_string(c.case_id));
  out.set_alarm_type(std::string(to_string(c.type)));
  out.set_priority(std::string(to_string(c.level)));
  out.set_state(std::string(to_string(c.state)));
  out.set_opened_at_ms(c.opened_at_ms);
  out.set_last_alarm_at_ms(c.last_alarm_at_ms);
  out.set_alarm_count(c.alarm_count);
  out.set_cancelled_at_unit(c.cancelled_at_unit);
  out.set_device_id(c.device_id);
  out.set_detail(c.detail);

  if (parts.person) {
    // Sent with the card: it does not change while the case is open.
    if (auto device = records.find_device(c.device_id)) {
      auto* d = out.mutable_device();
      d->set_device_id(device->id);
      d->set_kind(device->kind);
      d->set_location(device->location);
      d->set_protocol(device->dc09 ? "dc09" : "lantern");
    }
    if (const auto* p = person_of(c, records)) {
      fill_person(*out.mutable_person(), *p, c.type, c.opened_at_ms, records, parts.now_ms);
      if (!c.plan_changes.empty()) {
        out.mutable_person()->set_plan_changed(true);
        for (const auto& name : c.plan_changes) out.mutable_person()->add_plan_changes(name);
      }
    } else
      out.mutable_person()->set_person_id(c.person_id);
    add_history(*out.mutable_person(), history);
  }
  out.set_owner(c.owner);
  if (!c.owner.empty()) out.set_owner_name(records.display_name(c.owner));
  out.set_answered_at_ms(c.answered_at_ms);
  out.set_owned_since_ms(c.owned_since_ms);
  out.set_escalated_at_ms(c.escalated_at_ms);
  out.set_resolved_at_ms(c.resolved_at_ms);
  out.set_outcome(c.outcome);
  out.set_language(c.language);
  out.set_language_first_until_ms(c.language_first_until_ms);
  out.set_attention(c.attention);
  if (c.escalation.status != escalation_status::none) fill_escalation(*out.mutable_escalation(), c.escalation, records);
  // Only what the console has not got: a case with 200 notes is 800 KB of timeline.
  auto from = std::min(parts.timeline_from, c.timeline.size());
  if (from > 0) out.set_timeline_from(static_cast<std::uint32_t>(from));
  for (const auto& entry : std::span(c.timeline).subspan(from)) {
    auto* t = out.add_timeline();
    t->set_at_ms(entry.at_ms);
    t->set_kind(entry.kind);
    t->set_actor(entry.actor);
    // Device events name the device; actions name the operator.
    if (records.operators.contains(entry.actor))
      t->set_actor_name(records.display_name(entry.actor));
    else if (entry.actor.starts_with("carer:"))
      if (const auto* carer = records.find_carer(entry.actor.substr(6))) t->set_actor_name(carer->name);
    t->set_text(entry.text);
  }
  for (const auto& d : deadlines_of(c, records)) {
    auto* out_deadline = out.add_deadlines();
    out_deadline->set_label(d.label);
    out_deadline->set_at_ms(d.at_ms);
  }
  return out;
}

v1::OperatorInfo operator_message(const operator_account& account) {
  v1::OperatorInfo out;
  out.set_username(account.username);
  out.set_display_name(account.display_name);
  out.set_role(std::string(to_string(account.role)));
  for (const auto& lang : account.languages) out.add_languages(lang);
  return out;
}

void add_centre(v1::Snapshot& snapshot, const centre_settings& s) {
  auto* about = snapshot.mutable_centre();
  about->set_name(s.name);
  about->set_phone(s.phone);
  about->set_default_language(s.default_language);
  about->set_time_zone(s.time_zone);
  for (const auto& n : s.canned_notes) {
    auto* note = snapshot.add_canned_notes();
    note->set_text(n.text);
    for (auto t : n.types) note->add_types(std::string(to_string(t)));
    note->set_outcome(n.outcome);
  }
}

void add_vocabulary(v1::Snapshot& snapshot) {
  add_codes(*snapshot.mutable_outcomes(), outcome_codes());
  add_codes(*snapshot.mutable_contact_targets(), contact_targets());
  add_codes(*snapshot.mutable_contact_methods(), contact_methods());
  add_codes(*snapshot.mutable_contact_results(), contact_results());
}

std::string result_json(const std::string& request_id, const command_answer& answer) {
  v1::CommandResult result;
  result.set_type("result");
  result.set_request_id(request_id);
  result.set_ok(!answer);
  if (answer) {
    result.set_error(answer->reason);
    result.set_code(std::string(to_string(answer->code)));
  }
  return to_json(result);
}

std::string to_json(const google::protobuf::Message& message) {
  std::string out;
  append_message_json(out, message, true);
  return out;
}

std::string to_compact_json(const google::protobuf::Message& message) {
  std::string out;
  append_message_json(out, message, false);
  return out;
}

}  // namespace lantern::console_messages
