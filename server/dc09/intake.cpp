#include "dc09/intake.hpp"

#include "dc09/crypto.hpp"

#include <openssl/sha.h>

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
  // The mains coming back is a type of its own; any other restore is news for an open case.
  if (out.restore && out.type != alarm_type::mains_restore) out.type = alarm_type::restore;
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

// Enough of the SHA-256 of a key to tell two keys apart, and nothing to decrypt with.
std::string fingerprint(std::string_view key) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), digest);
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 8; ++i) {
    out += digits[digest[i] >> 4];
    out += digits[digest[i] & 15];
  }
  return "sha256:" + out;
}

}  // namespace

intake take_frame(std::string_view bytes, const account_lookup& lookup, std::int64_t now_ms) {
  intake out;
  auto parsed = parse_frame(bytes);
  auto refuse = [&](reply_kind kind, std::string_view reason, std::string why) {
    out.refusal = reason;
    out.reply = kind;
    out.reply_bytes =
        kind == reply_kind::nak ? make_nak(parsed.value.crc, now_ms) : make_reply(kind, parsed.value, now_ms);
    out.why = std::move(why);
    out.alarms.clear();
    return out;
  };
  if (parsed.problem == frame_problem::none) out.token = (parsed.value.encrypted ? "*" : "") + parsed.value.token;
  if (parsed.problem == frame_problem::unknown_token) out.token = "unknown";
  if (parsed.problem == frame_problem::unknown_token) return refuse(reply_kind::duh, "unknown_token", parsed.why);
  if (parsed.problem != frame_problem::none) return refuse(reply_kind::nak, "bad_frame", parsed.why);
  auto& f = parsed.value;
  out.account_id = upper(f.account);
  out.from = lookup(out.account_id);
  out.seq = f.seq;
  if (out.from == nullptr)
    out.summary = f.encrypted ? f.token + ", encrypted" : f.token + " [" + f.data.substr(0, 80) + "]";
  if (out.from == nullptr) return refuse(reply_kind::duh, "unknown_account", "unknown account '" + f.account + "'");
  const auto& from = *out.from;
  if (!from.receiver.empty() && number(from.receiver) != number(f.receiver))
    return refuse(reply_kind::duh, "wrong_route",
                  "receiver R" + f.receiver + " is not this account's R" + from.receiver);
  if (!from.line.empty() && number(from.line) != number(f.line))
    return refuse(reply_kind::duh, "wrong_route", "line L" + f.line + " is not this account's L" + from.line);
  if (f.encrypted) {
    if (from.key.empty()) return refuse(reply_kind::duh, "key_mismatch", "encrypted, but this account has no key");
    if (auto why = decrypt(f, from.key); !why.empty()) return refuse(reply_kind::nak, "decrypt_failed", why);
    if (!f.sent_at_ms) return refuse(reply_kind::nak, "time_window", "an encrypted message needs a timestamp");
    if (!within_time_window(*f.sent_at_ms, now_ms))
      return refuse(reply_kind::nak, "time_window",
                    "sent at " + format_timestamp(*f.sent_at_ms) + ", outside the time window");
  } else if (!from.key.empty()) {
    // A unit set up with a key that sends in clear is not the unit the centre knows.
    return refuse(reply_kind::duh, "key_mismatch", "this account sends encrypted, the message came in clear");
  }
  out.sent_at_ms = f.sent_at_ms;
  out.content = f.token + "|" + out.account_id + "|R" + f.receiver + "|L" + f.line + "|" + f.data;
  for (const auto& block : f.extended) out.content += "|[" + block + "]";

  auto key_block = std::find_if(f.extended.begin(), f.extended.end(), [](const auto& b) { return b.front() == 'K'; });
  bool key_change = key_block != f.extended.end();
  if (key_change) out.new_key_fingerprint = fingerprint(key_block->substr(1));
  auto events = read_events(f.token, f.data);
  if (std::holds_alternative<std::string>(events) && key_change) {
    // Only a key-change request: no events in it.
  } else if (auto* why = std::get_if<std::string>(&events)) {
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
