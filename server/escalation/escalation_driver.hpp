#pragma once
// Escalation's driver: where the chain's steps meet the world. The chain's rules are the
// desk's (desk/escalation_chain) and its timeouts come from the core's tick; after every
// case change this puts the links issued into the registry carers' pages open, and hands a
// responder newly notified to the courier once. After a restart, only what has no recorded
// result goes out again.

#include "core/clock.hpp"
#include "core/desk_subscriber.hpp"
#include "escalation/carer_links.hpp"
#include "escalation/notification.hpp"
#include "metrics/metrics.hpp"

#include <functional>
#include <set>
#include <utility>

namespace lantern {

class escalation_driver final : public desk_subscriber {
 public:
  // `send` hands a notification to the courier; it must return at once.
  escalation_driver(const centre& records, carer_links& links, metrics& figures, std::function<void(notification)> send,
                    wall_clock clock = system_wall_clock());

  void case_changed(const case_record& c, const case_change& change) override;
  void ticked(std::int64_t now_ms, bool minute) override;

 private:
  void dispatch(const case_record& c, std::int64_t now);
  void count(const case_record& c, const case_change& change);

  const centre& records_;  // read on the core's strand, where every call comes
  carer_links& links_;
  metrics& metrics_;
  std::function<void(notification)> send_;
  wall_clock clock_;
  std::set<std::pair<std::int64_t, int>> dispatched_;  // (case, attempt) sent in this run
};

}  // namespace lantern
