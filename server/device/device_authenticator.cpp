#include "device/device_authenticator.hpp"

#include "centre/secrets.hpp"

#include <sodium.h>

#include <stdexcept>

namespace lantern {

device_authenticator::device_authenticator() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not initialise");
  randombytes_buf(key_.data(), key_.size());
}

device_authenticator::digest device_authenticator::keyed_digest(std::string_view token) const {
  digest out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                     key_.data(), key_.size());
  return out;
}

bool device_authenticator::proven_before(const std::string& device_id, const std::string& token_hash,
                                         std::string_view token) const {
  auto candidate = keyed_digest(token);
  std::lock_guard lock(mutex_);
  auto it = proven_.find(device_id);
  return it != proven_.end() && it->second.token_hash == token_hash &&
         sodium_memcmp(it->second.token_digest.data(), candidate.data(), candidate.size()) == 0;
}

bool device_authenticator::verify(const std::string& device_id, const std::string& token_hash, std::string_view token) {
  if (!verify_secret(token_hash, token)) return false;
  auto proof_digest = keyed_digest(token);
  std::lock_guard lock(mutex_);
  proven_[device_id] = proof{token_hash, proof_digest};
  return true;
}

}  // namespace lantern
