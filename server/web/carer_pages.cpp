#include "web/carer_pages.hpp"

#include "desk/escalation_chain.hpp"
#include "web/carer_view.hpp"
#include "web/console_messages.hpp"

namespace lantern {

namespace v1 = lantern::console::v1;

void carer_pages::subscribe(std::weak_ptr<console_subscriber> page, carer_link_entry link) {
  core_.post([this, page = std::move(page), link = std::move(link)] {
    auto live = page.lock();
    if (!live) return;
    v1::ConsoleEvent event;
    if (const auto* c = core_.cases().find(link.case_id))
      *event.mutable_carer() = carer_view(*c, link.attempt, core_.records(), core_.now());
    else
      event.mutable_error()->set_message("This alarm is closed. Thank you.");
    live->deliver(std::make_shared<const std::string>(console_messages::to_json(event)));
    pages_.push_back({page, link.case_id, link.attempt});
  });
}

void carer_pages::reply(std::weak_ptr<console_subscriber> page, const carer_link_entry& link, std::string request_id,
                        responder_step step, std::string note) {
  case_command command;
  command.kind = command_kind::responder_reply;
  command.case_id = link.case_id;
  command.note = std::move(note);
  command.step = std::move(step);
  command.step.attempt = link.attempt;
  core_.command({carer_actor(link.carer_id), std::move(command), answer_on(std::move(page), std::move(request_id))});
}

void carer_pages::case_changed(const case_record& c, const case_change& change) {
  if (change.action == nullptr) return;  // only commands move an escalation
  std::erase_if(pages_, [&](const page_entry& entry) {
    auto live = entry.page.lock();
    if (live && entry.case_id == c.case_id) {
      v1::ConsoleEvent event;
      *event.mutable_carer() = carer_view(c, entry.attempt, core_.records(), core_.now());
      live->deliver(std::make_shared<const std::string>(console_messages::to_json(event)));
    }
    return !live;
  });
}

}  // namespace lantern
