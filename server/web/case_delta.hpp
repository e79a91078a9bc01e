#pragma once
// What every console already has of each open case, so that an update carries only what
// changed. A repeat press's update was 650 bytes, over half of it the type, the deadlines,
// the language and the like, unchanged since the case opened, and sent to every console.

#include "console.pb.h"

#include <cstdint>
#include <map>

namespace lantern {

class case_delta {
 public:
  // The timeline position an update of the case starts from: the last entry sent (it may
  // have changed: "3 repeats"), or 0 (the whole timeline) for a case not sent before.
  std::size_t timeline_from(std::int64_t case_id) const;

  // Leaves out of `update` (a whole case but for the card and the timeline before
  // `timeline_from`) each field as every console has it, marks it partial and names in
  // `cleared` the fields back at their default. Remembers what it sends. The first update of
  // a case (or the first since forget) stays whole.
  void trim(lantern::console::v1::Case& update, std::int64_t case_id, std::size_t timeline_size);

  // The consoles may now hold the case otherwise than the last update said (it changed
  // while no console listened, and a snapshot will carry it), or it is closed.
  void forget(std::int64_t case_id) { sent_.erase(case_id); }

 private:
  struct sent_case {
    lantern::console::v1::Case fields;  // as last sent, without the timeline and the card
    std::size_t timeline_size = 0;
  };
  std::map<std::int64_t, sent_case> sent_;
};

}  // namespace lantern
