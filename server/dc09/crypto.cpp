#include "dc09/crypto.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>

namespace lantern::dc09 {
namespace {

const EVP_CIPHER* cipher_for(std::size_t key_size) {
  switch (key_size) {
    case 16:
      return EVP_aes_128_cbc();
    case 24:
      return EVP_aes_192_cbc();
    case 32:
      return EVP_aes_256_cbc();
    default:
      return nullptr;
  }
}

int hex_value(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    int high = hex_value(hex[2 * i]), low = hex_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out[i] = static_cast<char>(high * 16 + low);
  }
  return out;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    out += digits[byte >> 4];
    out += digits[byte & 15];
  }
  return out;
}

// AES-CBC with a zero IV over whole blocks, no padding of its own: DC-09 pads the front.
std::optional<std::string> run_cipher(std::string_view input, std::string_view key, bool encrypting) {
  const auto* cipher = cipher_for(key.size());
  if (cipher == nullptr || input.size() % 16 != 0) return std::nullopt;
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  if (!ctx) throw std::bad_alloc();
  const unsigned char iv[16] = {};
  const auto* key_data = reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key_data, iv, encrypting ? 1 : 0) != 1) return std::nullopt;
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
  std::string out(input.size(), '\0');
  int written = 0, last = 0;
  auto* out_data = reinterpret_cast<unsigned char*>(out.data());
  if (EVP_CipherUpdate(ctx.get(), out_data, &written, reinterpret_cast<const unsigned char*>(input.data()),
                       static_cast<int>(input.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), out_data + written, &last) != 1)
    return std::nullopt;
  out.resize(static_cast<std::size_t>(written + last));
  return out;
}

}  // namespace

std::optional<std::string> key_bytes(std::string_view text, key_form form) {
  if (form == key_form::ascii) {
    if (cipher_for(text.size()) == nullptr) return std::nullopt;
    return std::string(text);
  }
  auto bytes = from_hex(text);
  if (!bytes || cipher_for(bytes->size()) == nullptr) return std::nullopt;
  return bytes;
}

std::string decrypt(frame& f, std::string_view key) {
  auto cipher = from_hex(f.cipher_hex);
  if (!cipher) return "the encrypted data is not hex";
  auto clear = run_cipher(*cipher, key, false);
  if (!clear) return "the encrypted data could not be decrypted";
  std::string_view text(*clear);
  // The pad runs to the first '|', or (a NULL message from some senders) to the ']'.
  auto bar = text.find('|');
  auto close = text.find(']');
  if (close == std::string_view::npos) return "no ] in the decrypted data: wrong key?";
  auto start = bar != std::string_view::npos && bar < close ? bar + 1 : close;
  for (char ch : text.substr(0, start == close ? close : bar))
    if (ch == '[' || ch == ']') return "the decrypted pad holds a bracket: wrong key?";
  return read_body(text.substr(start), f);
}

std::string encrypt(std::string_view clear, std::string_view key) {
  // At least one pad byte and the '|', up to whole blocks.
  std::size_t pad = 16 - (clear.size() + 1) % 16;
  if (pad == 16) pad = 0;
  std::string text(pad, '\0');
  if (pad > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(text.data()), static_cast<int>(pad)) != 1)
    throw std::runtime_error("no random bytes for the pad");
  for (auto& ch : text) {
    // Printable, and never '|', '[' or ']'.
    ch = static_cast<char>('A' + static_cast<unsigned char>(ch) % 26);
  }
  text += '|';
  text += clear;
  auto cipher = run_cipher(text, key, true);
  if (!cipher) throw std::invalid_argument("not an AES key of 16, 24 or 32 bytes");
  return to_hex(*cipher);
}

}  // namespace lantern::dc09
