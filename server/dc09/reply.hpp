#pragma once
// The receiver's answers, framed like the messages they answer (the same CRC form):
//   ACK  "ACK"<seq>[R<rcvr>]L<pref>#<acct>[]        the event is stored (after the commit)
//   *ACK the same, encrypted when the message was: <pad>|]_<time>
//   NAK  "NAK"0000R0L0A0[]_<receiver's UTC time>   bad CRC, length or format, or an encrypted
//        message outside the time window; never encrypted (the sender sets its clock by it)
//   DUH  "DUH"<seq>[R<rcvr>]L<pref>#<acct>[]        well formed, but not for this centre
//   RSP  "RSP"<seq>[R<rcvr>]L<pref>#<acct>[]        a key-change request, noted

#include "dc09/frame.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace lantern::dc09 {

enum class reply_kind { ack, nak, duh, rsp };
std::string_view to_string(reply_kind kind);

// The whole reply, <LF> to <CR>. `key` encrypts an ACK or RSP to an encrypted message.
std::string make_reply(reply_kind kind, const frame& to, std::int64_t now_ms, std::string_view key = {});
// A NAK needs nothing from the message but its CRC form.
std::string make_nak(crc_form form, std::int64_t now_ms);

// <LF><crc><0LLL><body><CR> around `body` (from the opening quote).
std::string wrap(std::string_view body, crc_form form);

// Whether an encrypted message's time is within the window: at most 20 s ahead of the
// receiver's clock, at most 40 s behind it.
bool within_time_window(std::int64_t sent_at_ms, std::int64_t now_ms);

}  // namespace lantern::dc09
