#pragma once
// Slow salted hashes (Argon2id, via libsodium) for operator passwords and device tokens.
// The encoded hash carries its own salt and cost, so one verify serves both kinds.

#include <string>
#include <string_view>

namespace lantern {

// Interactive cost (64 MiB, ~0.1 s): a person typing a password waits once per shift.
std::string hash_password(std::string_view password);

// Lower memory cost (8 MiB): tokens are long random machine secrets, and thousands of
// devices reconnect at once after an outage.
std::string hash_device_token(std::string_view token);

// `bytes` random bytes as hex: session tokens, carer link ids and secrets.
std::string random_hex(std::size_t bytes);

bool verify_secret(std::string_view encoded_hash, std::string_view secret);

}  // namespace lantern
