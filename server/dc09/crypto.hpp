#pragma once
// DC-09's encryption: AES in CBC mode with a zero IV and a 128-, 192- or 256-bit key, over
// everything after the data's opening bracket, sent as hex. The clear text starts with a
// random pad and a '|' (some senders leave the '|' out of a NULL message, or pad with '0'
// or NUL). OpenSSL's libcrypto does the AES.

#include "dc09/frame.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace lantern::dc09 {

// A device's key as configured: the standard's hex form (32, 48 or 64 hex characters), or
// the raw characters as Ajax and Home Assistant users type them (16, 24 or 32).
enum class key_form { hex, ascii };
// The key's bytes, or nothing when `text` is not a key of that form and size.
std::optional<std::string> key_bytes(std::string_view text, key_form form);

// Decrypts `f.cipher_hex` with `key` and reads the data, x-data and timestamp into `f`.
// Returns why not ("" when it worked): a wrong key reads as garbage and fails here.
std::string decrypt(frame& f, std::string_view key);

// `clear` padded at the front to whole blocks ("<pad>|<clear>"), encrypted, as upper-case
// hex. The pad is random and holds none of '|', '[' and ']'.
std::string encrypt(std::string_view clear, std::string_view key);

}  // namespace lantern::dc09
