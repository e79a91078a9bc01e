#include "dc09/reply.hpp"

#include "dc09/crc16.hpp"
#include "dc09/crypto.hpp"

#include <cstdio>

namespace lantern::dc09 {

std::string_view to_string(reply_kind kind) {
  switch (kind) {
    case reply_kind::ack:
      return "ACK";
    case reply_kind::nak:
      return "NAK";
    case reply_kind::duh:
      return "DUH";
    case reply_kind::rsp:
      return "RSP";
  }
  return "NAK";
}

std::string wrap(std::string_view body, crc_form form) {
  auto crc = crc16_arc(body);
  char head[16];
  std::string out = "\n";
  if (form == crc_form::hex) {
    std::snprintf(head, sizeof head, "%04X", crc);
    out += head;
  } else {
    out += static_cast<char>(crc >> 8);
    out += static_cast<char>(crc & 0xFF);
  }
  std::snprintf(head, sizeof head, "0%03zX", body.size() & 0xFFF);
  out += head;
  out += body;
  out += '\r';
  return out;
}

std::string make_nak(crc_form form, std::int64_t now_ms) {
  return wrap("\"NAK\"0000R0L0A0[]_" + format_timestamp(now_ms), form);
}

std::string make_reply(reply_kind kind, const frame& to, std::int64_t now_ms, std::string_view key) {
  if (kind == reply_kind::nak) return make_nak(to.crc, now_ms);
  bool encrypted = to.encrypted && !key.empty() && kind != reply_kind::duh;
  std::string body = "\"";
  if (encrypted) body += '*';
  body += to_string(kind);
  body += '"';
  body += to.seq;
  if (!to.receiver.empty()) body += "R" + to.receiver;
  body += "L" + to.line;
  if (!to.account.empty()) body += "#" + to.account;
  body += '[';
  if (encrypted)
    body += encrypt("]_" + format_timestamp(now_ms), key);
  else
    body += ']';
  return wrap(body, to.crc);
}

bool within_time_window(std::int64_t sent_at_ms, std::int64_t now_ms) {
  return sent_at_ms <= now_ms + 20'000 && sent_at_ms >= now_ms - 40'000;
}

}  // namespace lantern::dc09
