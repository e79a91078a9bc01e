#pragma once
// CRC-16/ARC (polynomial 0x8005 reflected, initial value 0): the check DC-09 puts on every
// frame, over the bytes from the opening quote to the byte before <CR>.

#include <cstdint>
#include <string_view>

namespace lantern::dc09 {

std::uint16_t crc16_arc(std::string_view bytes);

}  // namespace lantern::dc09
