#include "escalation/courier.hpp"

#include "centre/calendar.hpp"
#include "centre/secrets.hpp"

#include <curl/curl.h>

namespace lantern {
namespace {

constexpr std::size_t max_waiting = 10'000;  // bounded like every queue

}  // namespace

courier::courier(escalation_config config, recorder record, std::shared_ptr<spdlog::logger> log, unsigned threads)
    : config_(std::move(config)), record_(std::move(record)), log_(std::move(log)) {
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

courier::~courier() {
  stopping_ = true;
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

std::vector<std::string> courier::channels_for(const escalation_config& config, const carer& to) {
  std::vector<std::string> out;
  if (!config.smtp_url.empty() && !to.email.empty()) out.emplace_back("email");
  if (!config.webhook_url.empty() && !to.phone.empty()) out.emplace_back("webhook");
  return out;
}

void courier::send(notification n) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= max_waiting) {
      log_->error("courier: {} notifications waiting; case {} attempt {} not sent now (it goes again at restart)",
                  queue_.size(), n.case_id, n.attempt);
      return;
    }
    queue_.push_back(std::move(n));
  }
  wake_.notify_one();
}

void courier::run() {
  for (;;) {
    notification n;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      n = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      deliver(n);
    } catch (const std::exception& e) {
      log_->error("courier: case {} attempt {}: {}", n.case_id, n.attempt, e.what());
    }
  }
}

std::string courier::record(case_command step) {
  auto answer = record_(std::move(step));
  // The journal always answers, except while the server is stopping.
  while (answer.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready)
    if (stopping_) return "the server is stopping";
  return answer.get();
}

void courier::deliver(notification& n) {
  bool first = n.channels.empty();
  auto channels = first ? channels_for(config_, n.to) : n.channels;
  auto link_id = random_hex(8);
  auto secret = random_hex(24);
  case_command issued;
  issued.kind = command_kind::link_issued;
  issued.case_id = n.case_id;
  issued.step.attempt = n.attempt;
  issued.step.channels = channels;
  issued.step.link_id = link_id;
  issued.step.link_hash = hash_device_token(secret);
  issued.step.link_expires_at_ms = now_ms() + config_.link_ttl_s * 1000;
  // On disk before it goes out: the link works from the moment the carer can see it.
  if (auto refused = record(std::move(issued)); !refused.empty()) {
    log_->info("courier: case {} attempt {} no longer needs notifying ({})", n.case_id, n.attempt, refused);
    return;
  }
  auto link = config_.public_url + "/carer/" + link_id + "." + secret;
  for (const auto& channel : channels) {
    if (stopping_) return;  // not recorded: sent again after the restart
    delivery_outcome outcome =
        channel == "email"
            ? send_email(config_, n, link)
            : post_webhook(config_, n, link,
                           "lantern-" + std::to_string(n.case_id) + "-" + std::to_string(n.attempt) + "-" + link_id,
                           stopping_);
    log_->info("courier: case {} attempt {} {} to {}: {}", n.case_id, n.attempt, channel, n.to.id, outcome.detail);
    case_command result;
    result.kind = command_kind::delivery;
    result.case_id = n.case_id;
    result.step.attempt = n.attempt;
    result.step.channel = channel;
    result.step.delivered = outcome.ok;
    result.note = outcome.detail;
    if (auto refused = record(std::move(result)); !refused.empty())
      log_->warn("courier: result of case {} attempt {} {} not recorded: {}", n.case_id, n.attempt, channel, refused);
  }
}

}  // namespace lantern
