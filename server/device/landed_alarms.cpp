#include "device/landed_alarms.hpp"

#include "device/device_session.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

namespace lantern {

void landed_alarms::add(landed_alarm landed) {
  std::lock_guard lock(mutex_);
  waiting_.push_back(std::move(landed));
}

void landed_alarms::hand_over() {
  {
    std::lock_guard lock(mutex_);
    // Nothing new, or a delivery not yet begun that takes these along.
    if (waiting_.empty() || std::exchange(delivery_posted_, true)) return;
  }
  net::post(io_, [this] { deliver(); });
}

void landed_alarms::deliver() {
  // Its own list: with several I/O threads, the next delivery may run beside this one.
  std::vector<landed_alarm> delivering;
  {
    std::lock_guard lock(mutex_);
    delivering.swap(waiting_);
    delivery_posted_ = false;
  }
  // Together by session, each session's in the order they landed.
  std::stable_sort(delivering.begin(), delivering.end(),
                   [](const landed_alarm& a, const landed_alarm& b) { return a.session < b.session; });
  for (auto from = delivering.begin(); from != delivering.end();) {
    auto to = std::find_if(from, delivering.end(), [&](const landed_alarm& a) { return a.session != from->session; });
    from->session->alarms_landed(std::span(from, to));
    from = to;
  }
}

}  // namespace lantern
