#include "escalation/escalation_record.hpp"

#include <array>

namespace lantern {
namespace {

constexpr std::array<std::string_view, 7> status_names{"none", "calling",     "responder_going", "responder_arrived",
                                                       "done", "handed_back", "stopped"};
constexpr std::array<std::string_view, 9> attempt_names{"notified",  "going",         "arrived", "done",     "declined",
                                                        "timed_out", "undeliverable", "skipped", "cancelled"};

template <typename Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<Enum>(i);
  return std::nullopt;
}

}  // namespace

std::string_view to_string(escalation_status status) { return status_names[static_cast<std::size_t>(status)]; }
std::optional<escalation_status> parse_escalation_status(std::string_view text) {
  return parse_name<escalation_status>(status_names, text);
}
std::string_view to_string(attempt_state state) { return attempt_names[static_cast<std::size_t>(state)]; }
std::optional<attempt_state> parse_attempt_state(std::string_view text) {
  return parse_name<attempt_state>(attempt_names, text);
}

}  // namespace lantern
