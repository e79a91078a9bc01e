#pragma once
// Sends notifications to responders on threads of its own (libcurl blocks), so a slow mail
// server or gateway never holds up the desk; four, so that a gateway being retried holds up
// few others. For each notification it issues a fresh carer
// link, has it journaled (with the channels it will use) before anything goes out, sends on
// each channel, and has each result journaled: the case timeline shows every delivery, and
// a restart knows what was sent.

#include "escalation/channels.hpp"
#include "escalation/escalation_config.hpp"
#include "escalation/notification.hpp"

#include "centre/case_command.hpp"

#include <spdlog/logger.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace lantern {

class courier {
 public:
  // Journals a step and gives "" once it is durable, or why it was refused.
  using recorder = std::function<std::future<std::string>(case_command step)>;

  courier(escalation_config config, recorder record, std::shared_ptr<spdlog::logger> log, unsigned threads = 4);
  ~courier();
  courier(const courier&) = delete;
  courier& operator=(const courier&) = delete;

  // Thread-safe; returns at once.
  void send(notification n);

  // The channels set up for this carer: email with an address, the webhook with a phone.
  static std::vector<std::string> channels_for(const escalation_config& config, const carer& to);

 private:
  void run();
  void deliver(notification& n);
  std::string record(case_command step);

  escalation_config config_;
  recorder record_;
  std::shared_ptr<spdlog::logger> log_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<notification> queue_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace lantern
