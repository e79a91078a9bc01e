#pragma once
// Carers' pages, as the core's subscriber: each page opened by a carer link gets the view
// of its one attempt now and after every command on its case; its replies go to the core.

#include "core/desk_core.hpp"
#include "escalation/carer_links.hpp"
#include "web/console_fanout.hpp"

#include <memory>
#include <vector>

namespace lantern {

class carer_pages final : public desk_subscriber {
 public:
  explicit carer_pages(desk_core& core) : core_(core) {}

  // Thread-safe. Sends the page its view now and after each change.
  void subscribe(std::weak_ptr<console_subscriber> page, carer_link_entry link);
  // Thread-safe. A carer's reply (going, cant, arrived, done), answered on the page.
  void reply(std::weak_ptr<console_subscriber> page, const carer_link_entry& link, std::string request_id,
             responder_step step, std::string note);

  void case_changed(const case_record& c, const case_change& change) override;

 private:
  struct page_entry {
    std::weak_ptr<console_subscriber> page;
    std::int64_t case_id;
    int attempt;
  };
  desk_core& core_;
  std::vector<page_entry> pages_;  // on the core's strand
};

}  // namespace lantern
