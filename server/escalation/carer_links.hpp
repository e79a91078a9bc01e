#pragma once
// The carer page links in force: "<id>.<secret>", the id public, the secret kept only as an
// Argon2id hash. Each opens one responder attempt on one case and nothing else, until it
// expires. Thread-safe: the escalation driver adds links as they are issued; HTTP sessions open them.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace lantern {

struct carer_link_entry {
  std::int64_t case_id = 0;
  int attempt = 0;
  std::string carer_id;
  std::string secret_hash;
  std::int64_t expires_at_ms = 0;
};

class carer_links {
 public:
  // Idempotent: the driver adds a case's links again whenever the case changes.
  void add(const std::string& id, carer_link_entry entry, std::int64_t now_ms);
  // Drops the expired links (once a minute, from the core's tick).
  void forget_expired(std::int64_t now_ms);
  // The link behind `token` when its secret is right and it has not expired. Slow (one
  // Argon2id verify) only for a token whose id exists.
  std::optional<carer_link_entry> open(std::string_view token, std::int64_t now_ms) const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, carer_link_entry> links_;
};

}  // namespace lantern
