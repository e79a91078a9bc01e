#include "escalation/courier.hpp"

#include "centre/calendar.hpp"
#include "centre/secrets.hpp"

#include <curl/curl.h>

#include <pthread.h>

namespace lantern {
namespace {

constexpr std::size_t max_waiting = 10'000;  // bounded like every queue

}  // namespace

courier::courier(escalation_config config, recorder record, std::shared_ptr<spdlog::logger> log, unsigned threads)
    : config_(std::move(config)), record_(std::move(record)), log_(std::move(log)) {
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  for (unsigned i = 0; i < threads; ++i)
    threads_.emplace_back([this] {
      pthread_setname_np(pthread_self(), "courier");
      run();
    });
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

void courier::send(notification n) { queue({std::move(n), {}, {}}); }

void courier::queue(job j) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;  // not recorded: sent again after the restart
    if (queue_.size() >= max_waiting) {
      log_->error("courier: {} notifications waiting; case {} attempt {} not sent now (it goes again at restart)",
                  queue_.size(), j.n.case_id, j.n.attempt);
      return;
    }
    queue_.push_back(std::move(j));
  }
  wake_.notify_one();
}

void courier::run() {
  for (;;) {
    job j;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      j = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      if (j.link.empty())
        issue_link(std::move(j.n));
      else
        send_on_channels(j);
    } catch (const std::exception& e) {
      log_->error("courier: case {} attempt {}: {}", j.n.case_id, j.n.attempt, e.what());
    }
  }
}

void courier::issue_link(notification n) {
  if (n.channels.empty()) n.channels = channels_for(config_, n.to);
  auto link_id = random_hex(8);
  auto secret = random_hex(24);
  case_command issued;
  issued.kind = command_kind::link_issued;
  issued.case_id = n.case_id;
  issued.step.attempt = n.attempt;
  issued.step.channels = n.channels;
  issued.step.link_id = link_id;
  issued.step.link_hash = hash_device_token(secret);
  issued.step.link_expires_at_ms = now_ms() + config_.link_ttl_s * 1000;
  // On disk before it goes out: the link works from the moment the carer can see it.
  job next{std::move(n), config_.public_url + "/carer/" + link_id + "." + secret, link_id};
  record_(std::move(issued), [this, next = std::move(next)](const command_answer& refused) mutable {
    if (refused)
      log_->info("courier: case {} attempt {} no longer needs notifying ({})", next.n.case_id, next.n.attempt,
                 refused->reason);
    else
      queue(std::move(next));
  });
}

void courier::send_on_channels(const job& j) {
  const auto& n = j.n;
  for (const auto& channel : n.channels) {
    if (stopping_) return;  // not recorded: sent again after the restart
    delivery_outcome outcome =
        channel == "email"
            ? send_email(config_, n, j.link)
            : post_webhook(config_, n, j.link,
                           "lantern-" + std::to_string(n.case_id) + "-" + std::to_string(n.attempt) + "-" + j.link_id,
                           stopping_);
    log_->info("courier: case {} attempt {} {} to {}: {}{}", n.case_id, n.attempt, channel, n.to.id, outcome.detail,
               outcome.raw.empty() ? "" : " [" + outcome.raw + "]");
    case_command result;
    result.kind = command_kind::delivery;
    result.case_id = n.case_id;
    result.step.attempt = n.attempt;
    result.step.channel = channel;
    result.step.delivered = outcome.ok;
    result.note = outcome.detail;
    record_(std::move(result),
            [log = log_, case_id = n.case_id, attempt = n.attempt, channel](const command_answer& refused) {
              if (refused)
                log->warn("courier: result of case {} attempt {} {} not recorded: {}", case_id, attempt, channel,
                          refused->reason);
            });
  }
}

}  // namespace lantern
