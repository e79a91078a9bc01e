#include "desk/escalation_chain.hpp"

#include "centre/calendar.hpp"
#include "desk/availability.hpp"
#include "desk/case_rules.hpp"

#include <algorithm>

namespace lantern {
namespace {

refusal invalid(std::string why) { return {refusal_code::invalid, std::move(why)}; }
refusal not_due() { return {refusal_code::not_due, "not due"}; }

bool someone_on_the_way(const escalation_record& e) {
  return std::any_of(e.attempts.begin(), e.attempts.end(), [](const responder_attempt& a) {
    return a.state == attempt_state::going || a.state == attempt_state::arrived;
  });
}

std::optional<refusal> check_reply(const case_record& c, const responder_attempt& a, const responder_step& step,
                                   const std::string& note) {
  const auto& e = c.escalation;
  if (step.reply == "going") {
    if (step.eta_min < 1 || step.eta_min > 240) return invalid("eta_min must be 1 to 240 minutes");
    if (a.state == attempt_state::going || a.state == attempt_state::arrived)
      return refusal{refusal_code::already_done, "you are already going"};
    if (someone_on_the_way(e))
      return refusal{refusal_code::already_done, "another carer is already on the way: thank you"};
    bool late_yes = a.state != attempt_state::notified && a.state != attempt_state::cancelled &&
                    a.state != attempt_state::done &&
                    (e.status == escalation_status::calling || e.status == escalation_status::handed_back);
    if (a.state != attempt_state::notified && !late_yes)
      return refusal{refusal_code::wrong_state, "this call for help has ended: thank you"};
    return std::nullopt;
  }
  if (step.reply == "cant") {
    if (a.state != attempt_state::notified && a.state != attempt_state::going)
      return refusal{refusal_code::wrong_state, "nothing to decline: you are not being asked now"};
    return std::nullopt;
  }
  if (step.reply == "arrived") {
    if (a.state != attempt_state::going) return refusal{refusal_code::wrong_state, "say \"I'm going\" first"};
    return std::nullopt;
  }
  if (step.reply == "done") {
    if (a.state != attempt_state::going && a.state != attempt_state::arrived)
      return refusal{refusal_code::wrong_state, "you are not attending this alarm"};
    if (std::all_of(note.begin(), note.end(), [](unsigned char ch) { return std::isspace(ch); }))
      return invalid("a note is needed: how is the person, what did you do?");
    if (note.size() > max_note_length)
      return invalid("the note is too long (at most " + std::to_string(max_note_length) + " characters)");
    return std::nullopt;
  }
  return invalid("reply must be going, cant, arrived or done, not '" + step.reply + "'");
}

}  // namespace

std::string carer_actor(const std::string& carer_id) { return "carer:" + carer_id; }

const responder_attempt* current_attempt(const escalation_record& e) {
  for (auto it = e.attempts.rbegin(); it != e.attempts.rend(); ++it)
    if (it->is_live()) return &*it;
  return nullptr;
}

std::string escalation_chain::name_of(const std::string& carer_id) const {
  const auto* carer = records_.find_carer(carer_id);
  if (carer == nullptr) return carer_id;
  return carer->relationship.empty() ? carer->name : carer->name + " (" + carer->relationship + ")";
}

void escalation_chain::line(std::int64_t at_ms, const std::string& actor, std::string text) {
  case_.timeline.push_back({at_ms, "escalation", actor, std::move(text)});
}

bool escalation_chain::said_since(std::int64_t since_ms, const std::string& text) const {
  for (auto it = case_.timeline.rbegin(); it != case_.timeline.rend() && it->at_ms >= since_ms; ++it)
    if (it->kind == "escalation" && it->text == text) return true;
  return false;
}

void escalation_chain::start(std::int64_t at_ms) {
  auto& e = case_.escalation;
  e = {};
  e.status = escalation_status::calling;
  e.started_at_ms = at_ms;
  if (const auto* p = person_of(case_, records_)) {
    e.chain = p->plan.responders;
    e.ack_timeout_s = p->plan.escalation.ack_timeout_s;
    e.passes = p->plan.escalation.passes;
  }
  line(at_ms, system_actor,
       "Calling " + std::to_string(e.chain.size()) + " responder" + (e.chain.size() == 1 ? "" : "s") + " in turn, " +
           spoken_duration(e.ack_timeout_s * 1000LL) + " each to reply, " + std::to_string(e.passes) + " pass" +
           (e.passes == 1 ? "" : "es"));
  call_next(at_ms);
}

void escalation_chain::call_next(std::int64_t at_ms) {
  auto& e = case_.escalation;
  // Bounded: each responder is looked at once per pass.
  while (e.pass <= e.passes) {
    if (e.next >= e.chain.size()) {
      e.next = 0;
      ++e.pass;
      continue;
    }
    const auto& carer_id = e.chain[e.next++];
    const auto* carer = records_.find_carer(carer_id);
    if (carer == nullptr) {
      line(at_ms, system_actor, "Skipped " + carer_id + ": no such carer any more");
      continue;
    }
    if (!is_available(*carer, at_ms)) {
      // Once per responder per escalation: a second pass that skips them again adds nothing.
      auto why = "Skipped " + name_of(carer_id) + ": outside " + carer->name + "'s calling hours (" +
                 describe_availability(*carer) + ")";
      if (!said_since(e.started_at_ms, why)) line(at_ms, system_actor, why);
      continue;
    }
    responder_attempt a;
    a.number = static_cast<int>(e.attempts.size()) + 1;
    a.pass = e.pass;
    a.carer_id = carer_id;
    a.notified_at_ms = at_ms;
    a.reply_by_ms = at_ms + e.ack_timeout_s * 1000LL;
    e.attempts.push_back(std::move(a));
    e.status = escalation_status::calling;
    line(at_ms, system_actor,
         "Notifying " + name_of(carer_id) + ", pass " + std::to_string(e.pass) + " of " + std::to_string(e.passes) +
             ": " + spoken_duration(e.ack_timeout_s * 1000LL) + " to reply");
    return;
  }
  hand_back(at_ms);
}

void escalation_chain::raise(std::string attention) {
  if (case_.level != priority::critical) case_.level = static_cast<priority>(static_cast<int>(case_.level) - 1);
  case_.attention = std::move(attention);
}

void escalation_chain::hand_back(std::int64_t at_ms) {
  auto& e = case_.escalation;
  e.status = escalation_status::handed_back;
  case_.state = case_.owner.empty() ? case_state::queued : case_state::accepted;
  case_.escalated_at_ms = 0;
  std::string why = e.chain.empty() ? std::string("The plan has no responders: back to the operators")
                                    : "No responder reached after " + std::to_string(e.passes) + " pass" +
                                          (e.passes == 1 ? "" : "es") + ": back to the operators";
  line(at_ms, system_actor, why + ", priority raised");
  raise(why);
}

void escalation_chain::skip(std::int64_t at_ms, const std::string& actor) {
  auto& e = case_.escalation;
  for (auto& a : e.attempts)
    if (a.state == attempt_state::notified) {
      a.state = attempt_state::skipped;
      line(at_ms, actor, "Skipped " + name_of(a.carer_id));
    }
  call_next(at_ms);
}

void escalation_chain::stop(std::int64_t at_ms, const std::string& why) {
  auto& e = case_.escalation;
  if (!e.is_running()) return;
  for (auto& a : e.attempts)
    if (a.is_live()) a.state = attempt_state::cancelled;
  e.status = escalation_status::stopped;
  line(at_ms, system_actor, "Escalation stopped: " + why);
}

void escalation_chain::apply_step(const case_action& action) {
  const auto& step = action.command.step;
  auto& e = case_.escalation;
  auto* a = e.attempt(step.attempt);
  if (a == nullptr) return;  // checked before; a replay of an older version's step changes nothing
  auto at = action.at_ms;
  switch (action.command.kind) {
    case command_kind::responder_reply:
      reply(action, *a);
      break;
    case command_kind::responder_timeout:
      a->state = attempt_state::timed_out;
      line(at, system_actor,
           name_of(a->carer_id) + " did not reply within " + spoken_duration(e.ack_timeout_s * 1000LL));
      call_next(at);
      break;
    case command_kind::arrival_overdue: {
      a->arrival_overdue = true;
      std::string why = name_of(a->carer_id) + " has not arrived by the time promised: check on the person";
      line(at, system_actor, why);
      raise(why);
      break;
    }
    case command_kind::link_issued:
      a->links.push_back({step.link_id, step.link_hash, step.link_expires_at_ms});
      if (a->links.size() == 1) {
        a->channels = step.channels;
        if (a->channels.empty())
          undeliverable(at, *a, "no way to reach " + name_of(a->carer_id) + " (no email or phone channel set up)");
      }
      break;
    case command_kind::delivery:
      delivered(action, *a);
      break;
    default:
      break;
  }
}

void escalation_chain::reply(const case_action& action, responder_attempt& a) {
  const auto& step = action.command.step;
  auto& e = case_.escalation;
  auto at = action.at_ms;
  auto who = name_of(a.carer_id);
  if (step.reply == "going") {
    // A late "yes" is still a yes: whoever is being asked now is no longer needed.
    for (auto& other : e.attempts)
      if (&other != &a && other.state == attempt_state::notified) {
        other.state = attempt_state::cancelled;
        line(at, system_actor, name_of(other.carer_id) + " no longer needed: " + who + " is going");
      }
    bool was_handed_back = e.status == escalation_status::handed_back;
    a.state = attempt_state::going;
    a.eta_at_ms = at + step.eta_min * 60'000LL;
    a.arrive_by_ms = a.eta_at_ms + arrival_grace_ms_;
    e.status = escalation_status::responder_going;
    case_.state = case_state::escalated;
    line(at, action.actor, who + " is going: there in about " + std::to_string(step.eta_min) + " min");
    if (was_handed_back) case_.attention = who + " is going after all";
  } else if (step.reply == "cant") {
    bool was_going = a.state == attempt_state::going;
    a.state = attempt_state::declined;
    line(at, action.actor, who + (was_going ? " can no longer go" : " can't go"));
    if (was_going) case_.attention = who + " can no longer go: calling the next responder";
    call_next(at);
  } else if (step.reply == "arrived") {
    a.state = attempt_state::arrived;
    e.status = escalation_status::responder_arrived;
    line(at, action.actor, who + " has arrived");
    if (a.arrival_overdue) case_.attention.clear();
  } else if (step.reply == "done") {
    a.state = attempt_state::done;
    e.status = escalation_status::done;
    line(at, action.actor, who + " is done: " + action.command.note);
    case_.attention = who + " is done: resolve the case";
  }
}

void escalation_chain::delivered(const case_action& action, responder_attempt& a) {
  const auto& step = action.command.step;
  a.deliveries.push_back({step.channel, step.delivered, action.command.note, action.at_ms});
  std::string how = step.channel == "email" ? "Email" : "Message through the gateway";
  line(action.at_ms, system_actor,
       how + " to " + name_of(a.carer_id) +
           (step.delivered ? ": sent" : " could not be delivered: " + action.command.note));
  if (step.delivered || a.state != attempt_state::notified) return;
  // Moves on at once when every channel has failed and none got through.
  bool all_failed = std::all_of(a.channels.begin(), a.channels.end(), [&](const std::string& channel) {
    return std::any_of(a.deliveries.begin(), a.deliveries.end(),
                       [&](const delivery_result& d) { return d.channel == channel; });
  });
  bool any_ok = std::any_of(a.deliveries.begin(), a.deliveries.end(), [](const delivery_result& d) { return d.ok; });
  if (all_failed && !any_ok) undeliverable(action.at_ms, a, "could not reach " + name_of(a.carer_id));
}

void escalation_chain::undeliverable(std::int64_t at_ms, responder_attempt& a, const std::string& why) {
  a.state = attempt_state::undeliverable;
  line(at_ms, system_actor, why + ": moving on");
  call_next(at_ms);
}

std::optional<refusal> escalation_step_refusal(const case_record* c, const case_command& command,
                                               const std::string& actor, std::int64_t now_ms) {
  if (c == nullptr) return no_such_case(command.case_id);
  bool from_carer = command.kind == command_kind::responder_reply;
  if (!from_carer && actor != system_actor)
    return refusal{refusal_code::not_permitted, "only the server records this step"};
  if (!c->is_open()) return refusal{refusal_code::closed, "this alarm has been closed: thank you"};
  const auto& e = c->escalation;
  if (command.kind == command_kind::auto_escalate) {
    if (c->state == case_state::escalated || e.is_running())
      return refusal{refusal_code::already_done, "case " + std::to_string(c->case_id) + " is already escalated"};
    return std::nullopt;
  }
  const auto* a = e.attempt(command.step.attempt);
  if (a == nullptr) return invalid("no responder attempt " + std::to_string(command.step.attempt) + " on this case");
  switch (command.kind) {
    case command_kind::responder_reply:
      if (actor != carer_actor(a->carer_id))
        return refusal{refusal_code::not_permitted, "this link is for another carer"};
      return check_reply(*c, *a, command.step, command.note);
    case command_kind::responder_timeout:
      if (a->state != attempt_state::notified || now_ms < a->reply_by_ms) return not_due();
      return std::nullopt;
    case command_kind::arrival_overdue:
      if (a->state != attempt_state::going || a->arrival_overdue || now_ms < a->arrive_by_ms) return not_due();
      return std::nullopt;
    case command_kind::link_issued:
      if (a->state != attempt_state::notified)
        return refusal{refusal_code::not_due, "the responder is no longer being asked"};
      return std::nullopt;
    case command_kind::delivery:
      if (std::find(a->channels.begin(), a->channels.end(), command.step.channel) == a->channels.end())
        return invalid("attempt " + std::to_string(a->number) + " has no channel '" + command.step.channel + "'");
      return std::nullopt;
    default:
      return invalid("not an escalation step");
  }
}

std::vector<case_command> due_steps(const case_record& c, std::int64_t now_ms) {
  std::vector<case_command> out;
  if (!c.is_open()) return out;
  for (const auto& a : c.escalation.attempts) {
    case_command step;
    step.case_id = c.case_id;
    step.step.attempt = a.number;
    if (a.state == attempt_state::notified && now_ms >= a.reply_by_ms) {
      step.kind = command_kind::responder_timeout;
      out.push_back(step);
    } else if (a.state == attempt_state::going && !a.arrival_overdue && now_ms >= a.arrive_by_ms) {
      step.kind = command_kind::arrival_overdue;
      out.push_back(step);
    }
  }
  return out;
}

}  // namespace lantern
