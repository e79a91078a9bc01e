#include "dc09/intake.hpp"

#include "dc09/crypto.hpp"

#include <algorithm>
#include <cctype>

namespace lantern::dc09 {
namespace {

std::string upper(std::string text) {
  for (auto& ch : text) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return text;
}

// "003" and "3" are the same zone.
std::string number(std::string_view text) {
  auto first = text.find_first_not_of('0');
  return first == std::string_view::npos ? "0" : upper(std::string(text.substr(first)));
}

// X-data as people read it on the case: "X: 010E57.5698080; room: kitchen".
std::string describe_extended(const std::vector<std::string>& blocks) {
  std::string out;
  for (const auto& block : blocks) {
    std::string name;
    switch (block.front()) {
      case 'X':
        name = "longitude";
        break;
      case 'Y':
        name = "latitude";
        break;
      case 'L':
        name = "location";
        break;
      case 'R':
        name = "room";
        break;
      case 'I':
        name = "alarm text";
        break;
      case 'H':
        name = "occurred";
        break;
      case 'M':
        name = "MAC";
        break;
      case 'K':
        continue;  // a new key: never shown nor logged
      default:
        name = std::string(1, block.front());
        break;
    }
    out += (out.empty() ? "" : "; ") + name + ": " + block.substr(1);
  }
  return out;
}

unit_alarm alarm_for(const unit_event& e, const account& from, const std::string& extended) {
  auto meaning = meaning_of(e);
  unit_alarm out;
  out.mapped = meaning.type.has_value();
  out.type = meaning.type.value_or(alarm_type::unit_event);
  out.restore = meaning.restore;
  std::string location;
  // The device's own zones say what a sensor is: a fall detector reports as 100 or 101.
  if (!e.zone.empty() && !out.restore)
    for (const auto& z : from.zones)
      if (number(z.zone) == number(e.zone)) {
        out.type = z.type;
        out.mapped = true;
        location = z.location;
      }
  std::string scheme = e.scheme == code_scheme::contact_id ? "Contact ID " : "SIA ";
  out.detail = scheme + e.code + ": " + meaning.description;
  if (!e.zone.empty()) out.detail += ", zone " + e.zone + (location.empty() ? "" : " (" + location + ")");
  if (!e.text.empty()) out.detail += ", \"" + e.text + "\"";
  if (!extended.empty()) out.detail += "; " + extended;
  return out;
}

}  // namespace

intake take_frame(std::string_view bytes, const account_lookup& lookup, std::int64_t now_ms) {
  intake out;
  auto parsed = parse_frame(bytes);
  auto refuse = [&](reply_kind kind, std::string why) {
    out.reply = kind;
    out.reply_bytes =
        kind == reply_kind::nak ? make_nak(parsed.value.crc, now_ms) : make_reply(kind, parsed.value, now_ms);
    out.why = std::move(why);
    out.alarms.clear();
    return out;
  };
  if (parsed.problem == frame_problem::unknown_token) return refuse(reply_kind::duh, parsed.why);
  if (parsed.problem != frame_problem::none) return refuse(reply_kind::nak, parsed.why);
  auto& f = parsed.value;
  out.account_id = upper(f.account);
  out.from = lookup(out.account_id);
  if (out.from == nullptr) return refuse(reply_kind::duh, "unknown account '" + f.account + "'");
  const auto& from = *out.from;
  if (!from.receiver.empty() && number(from.receiver) != number(f.receiver))
    return refuse(reply_kind::duh, "receiver R" + f.receiver + " is not this account's R" + from.receiver);
  if (!from.line.empty() && number(from.line) != number(f.line))
    return refuse(reply_kind::duh, "line L" + f.line + " is not this account's L" + from.line);
  if (f.encrypted) {
    if (from.key.empty()) return refuse(reply_kind::duh, "encrypted, but this account has no key");
    if (auto why = decrypt(f, from.key); !why.empty()) return refuse(reply_kind::nak, why);
    if (!f.sent_at_ms) return refuse(reply_kind::nak, "an encrypted message needs a timestamp");
    if (!within_time_window(*f.sent_at_ms, now_ms))
      return refuse(reply_kind::nak, "sent at " + format_timestamp(*f.sent_at_ms) + ", outside the time window");
  } else if (!from.key.empty()) {
    // A unit set up with a key that sends in clear is not the unit the centre knows.
    return refuse(reply_kind::duh, "this account sends encrypted, the message came in clear");
  }
  out.content = f.token + "|" + out.account_id + "|R" + f.receiver + "|L" + f.line + "|" + f.data;
  for (const auto& block : f.extended) out.content += "|[" + block + "]";

  bool key_change = std::any_of(f.extended.begin(), f.extended.end(), [](const auto& b) { return b.front() == 'K'; });
  auto events = read_events(f.token, f.data);
  if (auto* why = std::get_if<std::string>(&events)) {
    // Well formed, but its events cannot be read: stored raw, never lost.
    unit_alarm raw;
    raw.type = alarm_type::unit_event;
    raw.mapped = false;
    raw.detail = f.token + " data not understood (" + *why + "): " + f.data.substr(0, 200);
    out.alarms.push_back(std::move(raw));
  } else {
    auto extended = describe_extended(f.extended);
    for (const auto& e : std::get<std::vector<unit_event>>(events)) out.alarms.push_back(alarm_for(e, from, extended));
  }
  out.reply = key_change ? reply_kind::rsp : reply_kind::ack;
  out.reply_bytes = make_reply(out.reply, f, now_ms, f.encrypted ? std::string_view(from.key) : std::string_view{});
  return out;
}

}  // namespace lantern::dc09
