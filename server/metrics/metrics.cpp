#include "metrics/metrics.hpp"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <sstream>
#include <vector>

#include <unistd.h>

namespace lantern {
namespace {

using prometheus::Histogram;

prometheus::Counter& counter(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(r).Add({});
}

prometheus::Gauge& gauge(prometheus::Registry& r, const char* name, const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r).Add({});
}

prometheus::Histogram& histogram(prometheus::Registry& r, const char* name, const char* help,
                                 Histogram::BucketBoundaries buckets) {
  return prometheus::BuildHistogram().Name(name).Help(help).Register(r).Add({}, std::move(buckets));
}

// The process's own figures under the names every Prometheus client uses (process_*), so
// the usual dashboards and rules find them.
prometheus::MetricFamily process_figure(const char* name, const char* help, prometheus::MetricType type, double value) {
  prometheus::MetricFamily family{name, help, type, {}};
  prometheus::ClientMetric sample;
  if (type == prometheus::MetricType::Counter)
    sample.counter.value = value;
  else
    sample.gauge.value = value;
  family.metric.push_back(sample);
  return family;
}

// Fields of /proc/self/stat after the command's closing parenthesis (field 3 is [0]).
std::vector<std::string> own_stat() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> fields;
  std::istringstream rest(line.substr(line.rfind(')') + 1));
  for (std::string f; rest >> f;) fields.push_back(f);
  return fields;
}

double resident_bytes() {
  std::ifstream in("/proc/self/statm");
  long pages = 0, resident = 0;
  in >> pages >> resident;
  return double(resident) * double(sysconf(_SC_PAGESIZE));
}

double cpu_seconds() {
  auto f = own_stat();  // utime and stime are fields 14 and 15
  if (f.size() < 13) return 0;
  return (std::stod(f[11]) + std::stod(f[12])) / double(sysconf(_SC_CLK_TCK));
}

double start_time() {
  static const double at = [] {
    auto f = own_stat();  // starttime, field 22, in ticks since boot
    std::ifstream uptime_file("/proc/uptime");
    double uptime = 0;
    uptime_file >> uptime;
    if (f.size() < 20) return 0.0;
    double since_boot = std::stod(f[19]) / double(sysconf(_SC_CLK_TCK));
    return double(std::time(nullptr)) - uptime + since_boot;
  }();
  return at;
}

const Histogram::BucketBoundaries latency_buckets{0.0005, 0.001, 0.002, 0.005, 0.01, 0.02,
                                                  0.05,   0.1,   0.25,  0.5,   1.0,  2.5};

}  // namespace

metrics::metrics()
    : heartbeats_received(counter(*registry_, "lantern_heartbeats_received_total", "Device heartbeats received")),
      duplicate_alarms(counter(*registry_, "lantern_duplicate_alarms_total",
                               "Re-sent alarms already stored (acked again, stored once)")),
      seq_reused_alarms(counter(*registry_, "lantern_seq_reused_alarms_total",
                                "Alarms under a seq the device used before for a different alarm (stored, nacked "
                                "SEQ_REUSED)")),
      frames_rejected(
          counter(*registry_, "lantern_device_frames_rejected_total", "Device frames refused as malformed or invalid")),
      devices_refused(counter(*registry_, "lantern_device_logins_refused_total",
                              "Device hellos refused: unknown device or wrong token")),
      ack_latency_seconds(histogram(*registry_, "lantern_alarm_ack_latency_seconds",
                                    "From an alarm frame read to its ack written, after commit", latency_buckets)),
      devices_connected(gauge(*registry_, "lantern_devices_connected", "Authenticated device connections")),
      consoles_connected(gauge(*registry_, "lantern_consoles_connected", "Live console WebSockets")),
      consoles_closed_slow(counter(*registry_, "lantern_consoles_closed_slow_total",
                                   "Consoles closed because their send queue was full")),
      consoles_caught_up(counter(*registry_, "lantern_consoles_caught_up_total",
                                 "Fresh snapshots sent in place of the updates a console had fallen behind by")),
      consoles_closed_flooding(counter(*registry_, "lantern_consoles_closed_flooding_total",
                                       "Consoles closed for sending commands faster than a person could")),
      tls_handshakes_failed(counter(*registry_, "lantern_tls_handshakes_failed_total",
                                    "TLS handshakes that failed or never completed (plain text to a TLS port, a "
                                    "wrong certificate, a silent peer)")),
      tls_certificate_expiry_seconds(gauge(*registry_, "lantern_tls_certificate_expiry_seconds",
                                           "When the TLS certificate in force expires, Unix time (0: no TLS)")),
      journal_batch_size(histogram(*registry_, "lantern_journal_batch_size",
                                   "Requests committed per journal transaction",
                                   {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096})),
      journal_commit_seconds(histogram(*registry_, "lantern_journal_commit_seconds",
                                       "Time to write and fsync one journal transaction", latency_buckets)),
      journal_queue_depth(gauge(*registry_, "lantern_journal_queue_depth", "Requests waiting for the journal writer")),
      journal_wal_bytes(gauge(*registry_, "lantern_journal_wal_bytes",
                              "Bytes of the write-ahead log after the journal's last commit, 0 once a "
                              "checkpoint has copied all of it (started afresh at 64 MiB; longer while a "
                              "reader holds it)")),
      notifications_sent(counter(*registry_, "lantern_escalation_notifications_sent_total",
                                 "Notifications to responders accepted by the mail server or gateway")),
      notifications_failed(counter(*registry_, "lantern_escalation_notifications_failed_total",
                                   "Notifications to responders that failed on their channel")),
      escalations_handed_back(counter(*registry_, "lantern_escalations_handed_back_total",
                                      "Escalations that reached no responder and went back to the operators")),
      arrivals_overdue(counter(*registry_, "lantern_escalation_arrivals_overdue_total",
                               "Responders not arrived by their ETA plus grace (case raised again)")),
      journal_commit_failures(
          counter(*registry_, "lantern_journal_commit_failures_total",
                  "Journal transactions that failed (disk full, I/O error): nothing in them acked")),
      storage_failing(gauge(*registry_, "lantern_storage_failing",
                            "1 while the last journal commit failed (alarms are nacked), 0 once one succeeds")),
      queue_waiting(gauge(*registry_, "lantern_queue_waiting_cases", "Open cases no operator has accepted yet")),
      queue_longest_wait_seconds(gauge(*registry_, "lantern_queue_longest_wait_seconds",
                                       "How long the oldest case no operator has accepted has waited")),
      alarm_calls_last_hour(gauge(*registry_, "lantern_alarm_calls_last_hour",
                                  "Alarm calls opened in the last hour (technical alarms and manual cases apart)")) {
  auto& received = prometheus::BuildCounter()
                       .Name("lantern_events_received_total")
                       .Help(
                           "Alarms, by alarm type: from devices and DC-09 units, and the technical ones "
                           "supervision raises (missed_checkin, low_battery)")
                       .Register(*registry_);
  for (auto type : all_alarm_types())
    events_received_[static_cast<std::size_t>(type)] = &received.Add({{"type", std::string(to_string(type))}});
  auto& open = prometheus::BuildGauge().Name("lantern_open_cases").Help("Open cases, by priority").Register(*registry_);
  for (auto level : {priority::critical, priority::high, priority::normal, priority::low})
    open_cases_[static_cast<std::size_t>(level)] = &open.Add({{"priority", std::string(to_string(level))}});
  auto& answered = prometheus::BuildGauge()
                       .Name("lantern_alarm_calls_answered_in_time_ratio")
                       .Help("Share of the last hour's alarm calls answered within 60 s or 180 s (1 with none decided)")
                       .Register(*registry_);
  answered_60s_ = &answered.Add({{"within", "60s"}});
  answered_180s_ = &answered.Add({{"within", "180s"}});
  answered_60s_->Set(1);
  answered_180s_->Set(1);
  operators_ = &prometheus::BuildGauge()
                    .Name("lantern_operators")
                    .Help("Operators with a console open, by presence")
                    .Register(*registry_);
  for (const char* state : {"ready", "on_call", "on_break"}) operators_->Add({{"presence", state}});
  admission_refused_ = &prometheus::BuildCounter()
                            .Name("lantern_device_admission_refused_total")
                            .Help("Device connections refused and events nacked by an admission limit")
                            .Register(*registry_);
  for (const char* limit : {"connections", "handshakes", "handshakes_per_source", "event_rate"})
    admission_refused_->Add({{"limit", limit}});
  record_changes_ = &prometheus::BuildCounter()
                         .Name("lantern_record_changes_total")
                         .Help("Administrators' changes to records, by resource and result")
                         .Register(*registry_);
  dc09_frames_ = &prometheus::BuildCounter()
                      .Name("lantern_dc09_frames_total")
                      .Help("SIA DC-09 frames received, by token and by the reply sent")
                      .Register(*registry_);
  for (std::size_t t = 0; t < dc09_tokens.size(); ++t)
    for (std::size_t r = 0; r < dc09_replies.size(); ++r)
      dc09_frame_series_[t][r] =
          &dc09_frames_->Add({{"token", std::string(dc09_tokens[t])}, {"reply", std::string(dc09_replies[r])}});
  dc09_refused_ = &prometheus::BuildCounter()
                       .Name("lantern_dc09_refused_total")
                       .Help("SIA DC-09 input refused, by reason")
                       .Register(*registry_);
  for (const char* reason : {"bad_frame", "unknown_account", "decrypt_failed", "time_window", "rate_limited"})
    dc09_refused_->Add({{"reason", reason}});
}

prometheus::Counter& metrics::record_changes(std::string_view resource, std::string_view result) {
  return record_changes_->Add({{"resource", std::string(resource)}, {"result", std::string(result)}});
}

prometheus::Counter& metrics::dc09_frames(std::string_view token, std::string_view reply) {
  auto t = std::find(dc09_tokens.begin(), dc09_tokens.end(), token);
  auto r = std::find(dc09_replies.begin(), dc09_replies.end(), reply);
  if (t != dc09_tokens.end() && r != dc09_replies.end())
    return *dc09_frame_series_[static_cast<std::size_t>(t - dc09_tokens.begin())]
                              [static_cast<std::size_t>(r - dc09_replies.begin())];
  return dc09_frames_->Add({{"token", std::string(token)}, {"reply", std::string(reply)}});
}

prometheus::Counter& metrics::dc09_refused(std::string_view reason) {
  return dc09_refused_->Add({{"reason", std::string(reason)}});
}

prometheus::Gauge& metrics::operators(std::string_view presence) {
  return operators_->Add({{"presence", std::string(presence)}});
}

prometheus::Counter& metrics::admission_refused(const std::string& limit) {
  return admission_refused_->Add({{"limit", limit}});  // prometheus-cpp finds an existing series
}

std::string metrics::render() const {
  auto families = registry_->Collect();
  families.push_back(process_figure("process_resident_memory_bytes", "Resident memory of lantern-server",
                                    prometheus::MetricType::Gauge, resident_bytes()));
  families.push_back(process_figure("process_cpu_seconds_total", "User and system CPU time of lantern-server",
                                    prometheus::MetricType::Counter, cpu_seconds()));
  families.push_back(process_figure("process_start_time_seconds", "When lantern-server started, Unix time",
                                    prometheus::MetricType::Gauge, start_time()));
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace lantern
