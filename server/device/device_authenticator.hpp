#pragma once
// Checks a device's token against its stored Argon2id hash. The slow hash runs once per
// device per server run; after that a keyed BLAKE2b of the proven token, held only in
// memory, answers reconnects at once (an outage brings thousands back together).

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace lantern {

class device_authenticator {
 public:
  device_authenticator();

  // True when this device proved this very token against this very stored hash before.
  bool proven_before(const std::string& device_id, const std::string& token_hash, std::string_view token) const;
  // The slow check; thread-safe, meant for a worker thread.
  bool verify(const std::string& device_id, const std::string& token_hash, std::string_view token);
  // The same slow check against a hash no token matches, for an unknown device id: a
  // refusal takes as long either way, so timing does not tell which ids exist.
  void decoy_check(std::string_view token) const;

 private:
  // 16 bytes a device: the proofs of a 100,000-device fleet stay small.
  using digest = std::array<std::uint8_t, 16>;
  // Over the stored hash too, so a changed token (a new hash) invalidates the proof.
  digest keyed_digest(std::string_view device_id, std::string_view token_hash, std::string_view token) const;

  std::array<std::uint8_t, 32> key_{};
  mutable std::mutex mutex_;
  std::unordered_map<std::string, digest> proven_;
};

}  // namespace lantern
