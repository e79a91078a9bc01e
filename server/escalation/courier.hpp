#pragma once
// Sends notifications to responders on threads of its own (libcurl blocks), so a slow mail
// server or gateway never holds up the desk; four, so that a gateway being retried holds up
// few others. For each notification it issues a fresh carer
// link, has it journaled (with the channels it will use) before anything goes out, sends on
// each channel once it is durable, and has each result journaled: the case timeline shows
// every delivery, and a restart knows what was sent. Answers come back by callback: no
// thread waits on the journal.

#include "escalation/channels.hpp"
#include "escalation/escalation_config.hpp"
#include "escalation/notification.hpp"

#include "centre/case_command.hpp"
#include "desk/refusal.hpp"

#include <spdlog/logger.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace lantern {

class courier {
 public:
  // Journals a step; `answered` is called (on any thread, at once) with nothing once it is
  // durable, or why it was refused.
  using recorder = std::function<void(case_command step, std::function<void(const command_answer&)> answered)>;

  courier(escalation_config config, recorder record, std::shared_ptr<spdlog::logger> log, unsigned threads = 4);
  ~courier();
  courier(const courier&) = delete;
  courier& operator=(const courier&) = delete;

  // Thread-safe; returns at once.
  void send(notification n);

  // The channels set up for this carer: email with an address, the webhook with a phone.
  static std::vector<std::string> channels_for(const escalation_config& config, const carer& to);

 private:
  // A notification waits first for its link to be issued, then for its channels.
  struct job {
    notification n;
    std::string link;  // the carer's URL; empty: not issued yet
    std::string link_id;
  };
  void queue(job j);
  void run();
  void issue_link(notification n);
  void send_on_channels(const job& j);

  escalation_config config_;
  recorder record_;
  std::shared_ptr<spdlog::logger> log_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<job> queue_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace lantern
