#include "centre/record_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <array>
#include <utility>

namespace lantern {
namespace {

// A person's text fields by their names in the centre file, in its order.
constexpr std::array<std::pair<const char*, std::string person::*>, 13> person_texts{{
    {"id", &person::id},
    {"name", &person::name},
    {"date_of_birth", &person::date_of_birth},
    {"address", &person::address},
    {"phone", &person::phone},
    {"preferred_language", &person::preferred_language},
    {"communication", &person::communication},
    {"what_matters", &person::what_matters},
    {"medical_notes", &person::medical_notes},
    {"medications", &person::medications},
    {"allergies", &person::allergies},
    {"access", &person::access},
    {"gp", &person::gp},
}};

boost::json::array strings(const std::vector<std::string>& list) { return boost::json::value_from(list).as_array(); }

boost::json::object plan_json(const plan& pl) {
  boost::json::array rules;
  for (const auto& r : pl.rules) {
    boost::json::object rule{{"type", to_string(r.type)}, {"instructions", r.instructions}};
    if (r.priority_override) rule["priority"] = to_string(*r.priority_override);
    if (r.escalate_after_s) rule["escalate_after_s"] = *r.escalate_after_s;
    if (!r.carer_instructions.empty()) rule["carer_instructions"] = r.carer_instructions;
    rules.push_back(std::move(rule));
  }
  return {{"coordinator", pl.coordinator},
          {"review_due", pl.review_due},
          {"responders", strings(pl.responders)},
          {"hazards", strings(pl.hazards)},
          {"rules", std::move(rules)},
          {"escalation", {{"ack_timeout_s", pl.escalation.ack_timeout_s}, {"passes", pl.escalation.passes}}}};
}

std::string text_of(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::vector<std::string> texts_of(const boost::json::object& o, const char* key) {
  std::vector<std::string> out;
  if (const auto* v = o.if_contains(key); v && v->is_array())
    for (const auto& e : v->get_array())
      if (e.is_string()) out.emplace_back(e.get_string());
  return out;
}

int int_of(const boost::json::object& o, const char* key, int fallback) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? static_cast<int>(v->get_int64()) : fallback;
}

}  // namespace

std::optional<person> person_from_json(std::string_view text) {
  boost::system::error_code ec;
  auto root = boost::json::parse(text, ec);
  if (ec || !root.is_object()) return std::nullopt;
  const auto& o = root.get_object();
  person p;
  for (auto [key, member] : person_texts) p.*member = text_of(o, key);
  const auto* plan_value = o.if_contains("plan");
  if (plan_value == nullptr || !plan_value->is_object()) return p;
  const auto& pl = plan_value->get_object();
  p.plan.coordinator = text_of(pl, "coordinator");
  p.plan.review_due = text_of(pl, "review_due");
  p.plan.responders = texts_of(pl, "responders");
  p.plan.hazards = texts_of(pl, "hazards");
  if (const auto* rules = pl.if_contains("rules"); rules && rules->is_array()) {
    for (const auto& r : rules->get_array()) {
      if (!r.is_object()) continue;
      const auto& ro = r.get_object();
      auto type = parse_alarm_type(text_of(ro, "type"));
      if (!type) continue;
      plan_rule rule{*type, parse_priority(text_of(ro, "priority")), text_of(ro, "instructions"), std::nullopt,
                     text_of(ro, "carer_instructions")};
      if (int after = int_of(ro, "escalate_after_s", 0)) rule.escalate_after_s = after;
      p.plan.rules.push_back(std::move(rule));
    }
  }
  if (const auto* esc = pl.if_contains("escalation"); esc && esc->is_object()) {
    p.plan.escalation.ack_timeout_s = int_of(esc->get_object(), "ack_timeout_s", 600);
    p.plan.escalation.passes = int_of(esc->get_object(), "passes", 2);
  }
  return p;
}

boost::json::object to_json(const person& p) {
  boost::json::object out;
  for (auto [key, member] : person_texts) out[key] = p.*member;
  out["plan"] = plan_json(p.plan);
  return out;
}

boost::json::object to_json(const carer& c) {
  boost::json::array windows;
  for (const auto& w : c.availability)
    windows.push_back(boost::json::object{{"days", strings(w.days)}, {"from", w.from}, {"to", w.to}});
  return {{"id", c.id},
          {"name", c.name},
          {"relationship", c.relationship},
          {"phone", c.phone},
          {"email", c.email},
          {"languages", strings(c.languages)},
          {"time_zone", c.time_zone},
          {"availability", std::move(windows)}};
}

boost::json::array zones_json(const std::vector<dc09_zone>& zones) {
  boost::json::array out;
  for (const auto& z : zones) {
    boost::json::object zone{{"zone", std::stoi(z.zone)}, {"type", to_string(z.type)}};
    if (!z.location.empty()) zone["location"] = z.location;
    out.push_back(std::move(zone));
  }
  return out;
}

std::vector<dc09_zone> zones_from_json(std::string_view text) {
  std::vector<dc09_zone> out;
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) return out;
  for (const auto& item : value.as_array()) {
    const auto* z = item.if_object();
    const auto* zone = z ? z->if_contains("zone") : nullptr;
    const auto* type_text = z ? z->if_contains("type") : nullptr;
    if (!zone || !zone->is_int64() || !type_text || !type_text->is_string()) continue;
    auto type = parse_alarm_type(type_text->as_string());
    if (!type) continue;
    const auto* location = z->if_contains("location");
    out.push_back({std::to_string(zone->as_int64()), *type,
                   location && location->is_string() ? std::string(location->as_string()) : std::string()});
  }
  return out;
}

boost::json::object to_json(const device_record& d, secret_hashes hashes) {
  boost::json::object out{{"id", d.id}, {"person_id", d.person_id}, {"kind", d.kind}};
  if (!d.location.empty()) out["location"] = d.location;
  if (d.dc09) {
    // A key decrypts, so it stays readable; a read shows only that there is one.
    const auto& unit = *d.dc09;
    out["protocol"] = "dc09";
    out["account"] = unit.account;
    if (!unit.receiver.empty()) out["receiver"] = unit.receiver;
    if (!unit.line.empty()) out["line"] = unit.line;
    if (hashes == secret_hashes::include && !unit.key.empty())
      out[unit.key_ascii ? "key_ascii" : "key"] = unit.key;
    else if (hashes == secret_hashes::omit)
      out["key_set"] = !unit.key.empty();
    out["zones"] = zones_json(unit.zones);
  } else {
    out["protocol"] = "lantern";
    if (hashes == secret_hashes::include) out["token_hash"] = d.token_hash;
  }
  out["heartbeat_interval_s"] = d.heartbeat_interval_s;
  return out;
}

boost::json::object to_json(const operator_account& a, secret_hashes hashes) {
  boost::json::object out{{"username", a.username},
                          {"display_name", a.display_name},
                          {"role", to_string(a.role)},
                          {"languages", strings(a.languages)},
                          {"auto_presence", a.auto_presence}};
  if (hashes == secret_hashes::include) out["password_hash"] = a.password_hash;
  return out;
}

boost::json::object about_centre(const centre_settings& s) {
  return {{"name", s.name}, {"phone", s.phone}, {"default_language", s.default_language}, {"time_zone", s.time_zone}};
}

boost::json::object default_instructions_json(const centre_settings& s) {
  boost::json::object out;
  for (const auto& [type, text] : s.default_instructions) out[to_string(type)] = text;
  return out;
}

boost::json::array canned_notes_json(const centre_settings& s) {
  boost::json::array out;
  for (const auto& n : s.canned_notes) {
    boost::json::array types;
    for (auto t : n.types) types.emplace_back(to_string(t));
    boost::json::object note{{"text", n.text}, {"types", std::move(types)}};
    if (!n.outcome.empty()) note["outcome"] = n.outcome;
    out.push_back(std::move(note));
  }
  return out;
}

boost::json::object to_json(const centre_settings& s) {
  auto out = about_centre(s);
  out["id"] = s.id;
  out["default_instructions"] = default_instructions_json(s);
  out["canned_notes"] = canned_notes_json(s);
  return out;
}

std::optional<centre_settings> settings_from_json(std::string_view text) {
  boost::system::error_code ec;
  auto root = boost::json::parse(text, ec);
  if (ec || !root.is_object()) return std::nullopt;
  const auto& o = root.get_object();
  centre_settings s;
  s.name = text_of(o, "name");
  s.phone = text_of(o, "phone");
  s.default_language = text_of(o, "default_language");
  s.time_zone = text_of(o, "time_zone");
  if (const auto* d = o.if_contains("default_instructions"); d && d->is_object())
    for (const auto& [name, value] : d->get_object())
      if (auto type = parse_alarm_type(name); type && value.is_string())
        s.default_instructions[*type] = std::string(value.get_string());
  if (const auto* notes = o.if_contains("canned_notes"); notes && notes->is_array())
    for (const auto& n : notes->get_array()) {
      if (!n.is_object()) continue;
      canned_note note{text_of(n.get_object(), "text"), {}, text_of(n.get_object(), "outcome")};
      for (const auto& name : texts_of(n.get_object(), "types"))
        if (auto type = parse_alarm_type(name)) note.types.push_back(*type);
      s.canned_notes.push_back(std::move(note));
    }
  return s;
}

boost::json::object to_json(const stored_record& stored) {
  auto out = std::visit([](const auto& r) { return to_json(r); }, stored.record);
  out["version"] = stored.version;
  out["active"] = stored.active;
  return out;
}

}  // namespace lantern
