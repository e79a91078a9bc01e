#include "dc09/crc16.hpp"

#include <array>

namespace lantern::dc09 {
namespace {

constexpr std::array<std::uint16_t, 256> make_table() {
  std::array<std::uint16_t, 256> table{};
  for (unsigned byte = 0; byte < 256; ++byte) {
    std::uint16_t crc = static_cast<std::uint16_t>(byte);
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0xA001) : crc >> 1;
    table[byte] = crc;
  }
  return table;
}
constexpr auto table = make_table();

}  // namespace

std::uint16_t crc16_arc(std::string_view bytes) {
  std::uint16_t crc = 0;
  for (unsigned char byte : bytes) crc = static_cast<std::uint16_t>((crc >> 8) ^ table[(crc ^ byte) & 0xFF]);
  return crc;
}

}  // namespace lantern::dc09
