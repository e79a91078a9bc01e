#pragma once
// What the DC-09 receiver does with one frame, before any I/O: which account it is for,
// whether it may be taken (CRC, length, format, token, account, receiver and line, key,
// time window), what to answer, and the alarms to store first. Pure: the receiver stores
// the alarms, sends the reply once they are durable, and counts the check-in.

#include "centre/centre.hpp"
#include "dc09/events.hpp"
#include "dc09/frame.hpp"
#include "dc09/reply.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace lantern::dc09 {

// A DC-09 account, as the centre's device records give it, with its key's bytes.
struct account {
  std::string device_id;
  std::string person_id;
  std::string receiver;  // empty: any; else a frame must name this receiver
  std::string line;      // empty: any
  std::string key;       // AES key bytes; empty: the unit sends in clear
  std::vector<dc09_zone> zones;
};

// One event to store.
struct unit_alarm {
  alarm_type type = alarm_type::pendant;
  bool mapped = true;    // false: the code is not in the table (stored with its raw code)
  bool restore = false;  // the condition cleared at the unit
  std::string detail;    // for the case: code, meaning, zone, and the extended data
};

struct intake {
  reply_kind reply = reply_kind::nak;
  // ACK and RSP go out only once every alarm is durable; NAK and DUH at once.
  std::string reply_bytes;
  std::vector<unit_alarm> alarms;
  const account* from = nullptr;  // the known account, when there is one
  std::string account_id;         // as the frame named it (for unallocated signals)
  // The content that makes a re-send the same event: token, account, receiver, line, data
  // and x-data, without the pad and the timestamp.
  std::string content;
  std::string token = "unreadable";  // for the metrics: "*ADM-CID" when encrypted, "unknown"
  std::string seq;
  std::optional<std::int64_t> sent_at_ms;  // the frame's timestamp
  // An unknown account's message as far as it can be read, for the unallocated list.
  std::string summary;
  // A key-change request (x-data K): a fingerprint of the new key, never the key.
  std::string new_key_fingerprint;
  std::string why;  // NAK and DUH: what exactly, for the log
  // NAK and DUH, for the metrics: bad_frame, unknown_token, unknown_account, wrong_route,
  // key_mismatch, decrypt_failed or time_window.
  std::string_view refusal;
};

using account_lookup = std::function<const account*(const std::string& account_id)>;

intake take_frame(std::string_view bytes, const account_lookup& lookup, std::int64_t now_ms);

}  // namespace lantern::dc09
