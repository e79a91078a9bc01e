#include "device/device_authenticator.hpp"

#include "centre/secrets.hpp"

#include <sodium.h>

#include <stdexcept>

namespace lantern {

device_authenticator::device_authenticator() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not initialise");
  randombytes_buf(key_.data(), key_.size());
}

device_authenticator::digest device_authenticator::keyed_digest(std::string_view device_id, std::string_view token_hash,
                                                                std::string_view token) const {
  crypto_generichash_state state;
  crypto_generichash_init(&state, key_.data(), key_.size(), digest{}.size());
  // Each part with its length first, so no two different triples hash the same bytes.
  for (std::string_view part : {device_id, token_hash, token}) {
    auto length = static_cast<std::uint64_t>(part.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(&length), sizeof length);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(part.data()), part.size());
  }
  digest out{};
  crypto_generichash_final(&state, out.data(), out.size());
  return out;
}

bool device_authenticator::proven_before(const std::string& device_id, const std::string& token_hash,
                                         std::string_view token) const {
  auto candidate = keyed_digest(device_id, token_hash, token);
  std::lock_guard lock(mutex_);
  auto it = proven_.find(device_id);
  return it != proven_.end() && sodium_memcmp(it->second.data(), candidate.data(), candidate.size()) == 0;
}

bool device_authenticator::verify(const std::string& device_id, const std::string& token_hash, std::string_view token) {
  if (!verify_secret(token_hash, token)) return false;
  auto proof = keyed_digest(device_id, token_hash, token);
  std::lock_guard lock(mutex_);
  proven_[device_id] = proof;
  return true;
}

void device_authenticator::decoy_check(std::string_view token) const {
  static const std::string decoy = hash_device_token(random_hex(16));
  (void)verify_secret(decoy, token);
}

}  // namespace lantern
