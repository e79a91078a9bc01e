#include "centre/case_command.hpp"

#include <boost/json.hpp>

#include <array>

namespace lantern {
namespace {

constexpr std::array<std::string_view, 18> names_of_commands{"accept",
                                                             "release",
                                                             "note",
                                                             "contact",
                                                             "escalate",
                                                             "resolve",
                                                             "reopen",
                                                             "reassign",
                                                             "skip_responder",
                                                             "stop_escalation",
                                                             "restart_escalation",
                                                             "responder_reply",
                                                             "responder_timeout",
                                                             "arrival_overdue",
                                                             "link_issued",
                                                             "delivery",
                                                             "auto_escalate"};

constexpr std::array<code_label, 8> outcomes{{
    {"false_alarm", "False alarm (accidental press)"},
    {"resolved_by_phone", "Resolved by phone"},
    {"carer_attended", "Carer attended"},
    {"ambulance_called", "Ambulance called"},
    {"fire_service_called", "Fire service called"},
    {"police_called", "Police called"},
    {"responder_sent", "No response: responder sent"},
    {"technical_issue", "Technical issue"},
}};
constexpr std::array<code_label, 3> targets{{
    {"person", "the person"},
    {"responder", "a responder"},
    {"emergency_services", "emergency services"},
}};
constexpr std::array<code_label, 3> methods{{{"phone", "phone"}, {"sms", "text message"}, {"email", "email"}}};
constexpr std::array<code_label, 4> results{{
    {"answered", "answered"},
    {"no_answer", "no answer"},
    {"voicemail", "voicemail"},
    {"wrong_number", "wrong number"},
}};

std::string text_of(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

std::string_view to_string(command_kind kind) { return names_of_commands[static_cast<std::size_t>(kind)]; }

std::optional<command_kind> parse_command_kind(std::string_view text) {
  for (std::size_t i = 0; i < names_of_commands.size(); ++i)
    if (names_of_commands[i] == text) return static_cast<command_kind>(i);
  return std::nullopt;
}

std::string command_names() {
  std::string out;
  for (std::size_t i = 0; i < names_of_commands.size(); ++i)
    if (is_console_command(static_cast<command_kind>(i)))
      out += (out.empty() ? "" : ", ") + std::string(names_of_commands[i]);
  return out;
}

std::span<const code_label> outcome_codes() { return outcomes; }
std::span<const code_label> contact_targets() { return targets; }
std::span<const code_label> contact_methods() { return methods; }
std::span<const code_label> contact_results() { return results; }

std::optional<std::string_view> label_of(std::span<const code_label> codes, std::string_view id) {
  for (const auto& c : codes)
    if (c.id == id) return c.label;
  return std::nullopt;
}

std::string to_payload(const case_command& c) {
  boost::json::object o{{"type", to_string(c.kind)}, {"case_id", c.case_id}};
  // Only what the command carries: the audit trail stays readable.
  auto put = [&](const char* key, const std::string& value) {
    if (!value.empty()) o[key] = value;
  };
  put("note", c.note);
  put("outcome", c.outcome);
  put("who", c.who);
  put("carer_id", c.carer_id);
  put("how", c.how);
  put("result", c.result);
  put("to", c.to);
  put("reason", c.reason);
  const auto& step = c.step;
  if (step.attempt == 0) return boost::json::serialize(o);
  o["attempt"] = step.attempt;
  put("reply", step.reply);
  if (step.eta_min) o["eta_min"] = step.eta_min;
  put("channel", step.channel);
  if (c.kind == command_kind::delivery) o["delivered"] = step.delivered;
  if (c.kind == command_kind::link_issued) {
    boost::json::array channels;
    for (const auto& ch : step.channels) channels.emplace_back(ch);
    o["channels"] = std::move(channels);
    o["link_id"] = step.link_id;
    o["link_hash"] = step.link_hash;
    o["link_expires_at_ms"] = step.link_expires_at_ms;
  }
  return boost::json::serialize(o);
}

std::optional<case_command> parse_payload(std::string_view payload) {
  boost::system::error_code ec;
  auto value = boost::json::parse(payload, ec);
  const auto* o = ec ? nullptr : value.if_object();
  if (o == nullptr) return std::nullopt;
  auto kind = parse_command_kind(text_of(*o, "type"));
  const auto* id = o->if_contains("case_id");
  if (!kind || id == nullptr || !id->is_int64()) return std::nullopt;
  case_command c;
  c.kind = *kind;
  c.case_id = id->as_int64();
  c.note = text_of(*o, "note");
  c.outcome = text_of(*o, "outcome");
  c.who = text_of(*o, "who");
  c.carer_id = text_of(*o, "carer_id");
  c.how = text_of(*o, "how");
  c.result = text_of(*o, "result");
  c.to = text_of(*o, "to");
  c.reason = text_of(*o, "reason");
  auto number = [&](const char* key) -> std::int64_t {
    const auto* v = o->if_contains(key);
    return v && v->is_int64() ? v->as_int64() : 0;
  };
  auto& step = c.step;
  step.attempt = static_cast<int>(number("attempt"));
  step.reply = text_of(*o, "reply");
  step.eta_min = static_cast<int>(number("eta_min"));
  step.channel = text_of(*o, "channel");
  if (const auto* v = o->if_contains("delivered"); v && v->is_bool()) step.delivered = v->as_bool();
  if (const auto* v = o->if_contains("channels"); v && v->is_array())
    for (const auto& ch : v->as_array())
      if (ch.is_string()) step.channels.emplace_back(ch.as_string());
  step.link_id = text_of(*o, "link_id");
  step.link_hash = text_of(*o, "link_hash");
  step.link_expires_at_ms = number("link_expires_at_ms");
  return c;
}

}  // namespace lantern
