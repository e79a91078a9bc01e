#include "escalation/escalation_json.hpp"

#include <boost/json.hpp>

namespace lantern {
namespace {

namespace json = boost::json;

std::int64_t number(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->as_int64() : 0;
}

std::string text(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

const json::array& list(const json::object& o, const char* key) {
  static const json::array none;
  const auto* v = o.if_contains(key);
  return v && v->is_array() ? v->as_array() : none;
}

json::object attempt_to_json(const responder_attempt& a) {
  json::array channels, deliveries, links;
  for (const auto& c : a.channels) channels.emplace_back(c);
  for (const auto& d : a.deliveries)
    deliveries.push_back(json::object{{"channel", d.channel}, {"ok", d.ok}, {"detail", d.detail}, {"at_ms", d.at_ms}});
  for (const auto& l : a.links)
    links.push_back(json::object{{"id", l.id}, {"secret_hash", l.secret_hash}, {"expires_at_ms", l.expires_at_ms}});
  return {{"number", a.number},
          {"pass", a.pass},
          {"carer_id", a.carer_id},
          {"state", to_string(a.state)},
          {"notified_at_ms", a.notified_at_ms},
          {"reply_by_ms", a.reply_by_ms},
          {"eta_at_ms", a.eta_at_ms},
          {"arrive_by_ms", a.arrive_by_ms},
          {"arrival_overdue", a.arrival_overdue},
          {"channels", std::move(channels)},
          {"deliveries", std::move(deliveries)},
          {"links", std::move(links)}};
}

responder_attempt attempt_from_json(const json::object& o) {
  responder_attempt a;
  a.number = static_cast<int>(number(o, "number"));
  a.pass = static_cast<int>(number(o, "pass"));
  a.carer_id = text(o, "carer_id");
  a.state = parse_attempt_state(text(o, "state")).value_or(attempt_state::cancelled);
  a.notified_at_ms = number(o, "notified_at_ms");
  a.reply_by_ms = number(o, "reply_by_ms");
  a.eta_at_ms = number(o, "eta_at_ms");
  a.arrive_by_ms = number(o, "arrive_by_ms");
  if (const auto* v = o.if_contains("arrival_overdue"); v && v->is_bool()) a.arrival_overdue = v->as_bool();
  for (const auto& c : list(o, "channels"))
    if (c.is_string()) a.channels.emplace_back(c.as_string());
  for (const auto& d : list(o, "deliveries"))
    if (d.is_object()) {
      const auto& x = d.as_object();
      const auto* ok = x.if_contains("ok");
      a.deliveries.push_back(
          {text(x, "channel"), ok && ok->is_bool() && ok->as_bool(), text(x, "detail"), number(x, "at_ms")});
    }
  for (const auto& l : list(o, "links"))
    if (l.is_object())
      a.links.push_back(
          {text(l.as_object(), "id"), text(l.as_object(), "secret_hash"), number(l.as_object(), "expires_at_ms")});
  return a;
}

}  // namespace

std::string escalation_to_json(const escalation_record& e) {
  if (e.status == escalation_status::none) return {};
  json::array chain, attempts;
  for (const auto& id : e.chain) chain.emplace_back(id);
  for (const auto& a : e.attempts) attempts.push_back(attempt_to_json(a));
  return json::serialize(json::object{{"status", to_string(e.status)},
                                      {"chain", std::move(chain)},
                                      {"ack_timeout_s", e.ack_timeout_s},
                                      {"passes", e.passes},
                                      {"pass", e.pass},
                                      {"next", e.next},
                                      {"started_at_ms", e.started_at_ms},
                                      {"attempts", std::move(attempts)}});
}

escalation_record escalation_from_json(std::string_view text_in) {
  escalation_record e;
  boost::system::error_code ec;
  auto value = json::parse(text_in, ec);
  if (ec || !value.is_object()) return e;
  const auto& o = value.as_object();
  e.status = parse_escalation_status(text(o, "status")).value_or(escalation_status::none);
  for (const auto& id : list(o, "chain"))
    if (id.is_string()) e.chain.emplace_back(id.as_string());
  e.ack_timeout_s = static_cast<int>(number(o, "ack_timeout_s"));
  e.passes = static_cast<int>(number(o, "passes"));
  e.pass = static_cast<int>(number(o, "pass"));
  if (const auto* v = o.if_contains("next"); v && (v->is_uint64() || v->is_int64()))
    e.next = static_cast<std::size_t>(v->to_number<std::uint64_t>());
  e.started_at_ms = number(o, "started_at_ms");
  for (const auto& a : list(o, "attempts"))
    if (a.is_object()) e.attempts.push_back(attempt_from_json(a.as_object()));
  return e;
}

}  // namespace lantern
