#include "centre/secrets.hpp"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace lantern {
namespace {

std::string argon2id(std::string_view secret, unsigned long long ops, std::size_t mem) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, secret.data(), secret.size(), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("out of memory while hashing a secret");
  return out;
}

}  // namespace

std::string hash_password(std::string_view password) {
  return argon2id(password, crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

std::string hash_device_token(std::string_view token) { return argon2id(token, 2, 8u << 20); }

bool verify_secret(std::string_view encoded_hash, std::string_view secret) {
  if (sodium_init() < 0) return false;
  std::string hash(encoded_hash);  // libsodium wants a NUL-terminated string
  return crypto_pwhash_str_verify(hash.c_str(), secret.data(), secret.size()) == 0;
}

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
  hex.pop_back();
  return hex;
}

}  // namespace lantern
