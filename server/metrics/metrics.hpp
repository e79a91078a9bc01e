#pragma once
// Every figure Lantern exports on /metrics, created once at start and passed to the parts
// that move them. prometheus-cpp's counters, gauges and histograms are thread-safe.

#include "centre/alarm_types.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <memory>
#include <string>
#include <string_view>

namespace lantern {

class metrics {
  // Declared first: every member below is registered in it.
  std::shared_ptr<prometheus::Registry> registry_ = std::make_shared<prometheus::Registry>();

 public:
  metrics();

  prometheus::Counter& events_received(alarm_type type) { return *events_received_[static_cast<std::size_t>(type)]; }
  prometheus::Gauge& open_cases(priority level) { return *open_cases_[static_cast<std::size_t>(level)]; }
  // Device connections refused and events nacked by an admission limit: "connections",
  // "handshakes" (the oldest connection before its hello dropped for a newer one, or the
  // token checks too far behind), "handshakes_per_source", or "event_rate".
  prometheus::Counter& admission_refused(const std::string& limit);
  // Administrators' changes to records by resource (person, carer, device, operator) and
  // result: done, conflict (a stale version, a clash), refused, invalid (a field), failed.
  prometheus::Counter& record_changes(std::string_view resource, std::string_view result);
  // SIA DC-09 frames by token (SIA-DCS, ADM-CID, NULL, each maybe encrypted; "unreadable"
  // when there was none) and by reply (ack, nak, duh, rsp; "none": rate-limited or unstored).
  prometheus::Counter& dc09_frames(std::string_view token, std::string_view reply);
  // DC-09 input refused, by why: bad_frame, unknown_token, unknown_account, wrong_route,
  // key_mismatch, decrypt_failed, time_window, rate_limited, oversize, garbage,
  // slow_writer, silent (no first frame in time), connections, waiting (the oldest
  // connection before its first frame dropped).
  prometheus::Counter& dc09_refused(std::string_view reason);

  prometheus::Counter& heartbeats_received;
  prometheus::Counter& duplicate_alarms;
  prometheus::Counter& seq_reused_alarms;
  prometheus::Counter& frames_rejected;
  prometheus::Counter& devices_refused;
  prometheus::Histogram& ack_latency_seconds;
  prometheus::Gauge& devices_connected;
  prometheus::Gauge& consoles_connected;
  prometheus::Counter& consoles_closed_slow;
  prometheus::Counter& consoles_caught_up;
  prometheus::Counter& consoles_closed_flooding;
  prometheus::Counter& tls_handshakes_failed;
  prometheus::Gauge& tls_certificate_expiry_seconds;
  prometheus::Histogram& journal_batch_size;
  prometheus::Histogram& journal_commit_seconds;
  prometheus::Gauge& journal_queue_depth;
  // The WAL's length after the journal's last commit: started afresh at about 64 MiB, longer
  // only while a reader (an online backup, a long report) holds it, or the helper is starved.
  prometheus::Gauge& journal_wal_bytes;
  prometheus::Counter& notifications_sent;
  prometheus::Counter& notifications_failed;
  prometheus::Counter& escalations_handed_back;
  prometheus::Counter& arrivals_overdue;
  prometheus::Counter& journal_commit_failures;
  prometheus::Gauge& storage_failing;  // 1 from a failed commit until one succeeds again
  // The floor, as the supervisor's screen shows it (the desk sets them once a second).
  prometheus::Gauge& queue_waiting;               // open cases no operator has accepted
  prometheus::Gauge& queue_longest_wait_seconds;  // how long the oldest of them has waited
  prometheus::Gauge& alarm_calls_last_hour;       // alarm calls opened in the last hour
  // The share of the last hour's alarm calls answered within 60 s or 180 s (TSA targets).
  prometheus::Gauge& answered_within(int seconds) { return seconds <= 60 ? *answered_60s_ : *answered_180s_; }
  // Operators by presence: ready, on_call, on_break.
  prometheus::Gauge& operators(std::string_view presence);

  // The Prometheus text exposition format, with the process's own figures (memory, CPU,
  // start time) read from /proc at each scrape.
  std::string render() const;

 private:
  std::array<prometheus::Counter*, alarm_type_count> events_received_{};
  std::array<prometheus::Gauge*, 4> open_cases_{};
  prometheus::Gauge* answered_60s_ = nullptr;
  prometheus::Gauge* answered_180s_ = nullptr;
  prometheus::Family<prometheus::Gauge>* operators_ = nullptr;
  prometheus::Family<prometheus::Counter>* admission_refused_ = nullptr;
  prometheus::Family<prometheus::Counter>* record_changes_ = nullptr;
  prometheus::Family<prometheus::Counter>* dc09_frames_ = nullptr;
  // Every frame counts once: the usual series are found without the family's lock and map.
  static constexpr std::array<std::string_view, 9> dc09_tokens{
      "ADM-CID", "SIA-DCS", "NULL", "*ADM-CID", "*SIA-DCS", "*NULL", "unknown", "unreadable", "unread"};
  static constexpr std::array<std::string_view, 5> dc09_replies{"ACK", "NAK", "DUH", "RSP", "none"};
  std::array<std::array<prometheus::Counter*, dc09_replies.size()>, dc09_tokens.size()> dc09_frame_series_{};
  prometheus::Family<prometheus::Counter>* dc09_refused_ = nullptr;
};

}  // namespace lantern
