#pragma once
// SIA DC-09 frames as they come off TCP or UDP:
//   <LF><crc><0LLL>"<token>"<seq>[R<rcvr>]L<pref>[#<acct>][<data>][<x-data>...][_HH:MM:SS,MM-DD-YYYY]<CR>
// The CRC (CRC-16/ARC, four hex characters or, from some communicators, two raw bytes) and
// the length (0 and three hex digits) both cover the bytes from the opening quote to the
// byte before <CR>. A frame whose CRC or length is wrong is never taken. Pure: no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lantern::dc09 {

enum class crc_form { hex, binary };

// Why a frame is answered NAK (or, for a well-formed one the centre cannot take, DUH).
enum class frame_problem { none, bad_crc, bad_length, bad_format, unknown_token };
std::string_view to_string(frame_problem problem);

struct frame {
  crc_form crc = crc_form::hex;
  std::string token;  // SIA-DCS, ADM-CID, NULL (without the '*' of an encrypted one)
  bool encrypted = false;
  std::string seq;       // four digits, as sent (echoed in the reply)
  std::string receiver;  // after R; empty when there is none
  std::string line;      // after L
  std::string account;   // after #; empty when there is none
  // Clear text: what is between [ and ], the x-data blocks without their brackets
  // ("X010E57.56", "Rkitchen"), and the timestamp. Encrypted: `cipher_hex` (everything
  // after the [), and the rest once decrypted (see crypto.hpp).
  std::string data;
  std::vector<std::string> extended;
  std::optional<std::int64_t> sent_at_ms;  // the timestamp, UTC
  std::string cipher_hex;
};

struct parsed_frame {
  frame_problem problem = frame_problem::none;
  std::string why;  // for the log: what exactly is wrong
  frame value;      // as far as it could be read (the CRC form always)
};

// Reads one whole frame, <LF> to <CR> inclusive.
parsed_frame parse_frame(std::string_view bytes);

// Reads `<data>][x-data]..[_timestamp]`: what follows the data's opening bracket, in clear
// (or decrypted) text, into `out`. Returns why not, or "".
std::string read_body(std::string_view body, frame& out);

// "_HH:MM:SS,MM-DD-YYYY" without the underscore, as milliseconds since 1970 (UTC).
std::optional<std::int64_t> parse_timestamp(std::string_view text);
// The same form, for replies.
std::string format_timestamp(std::int64_t at_ms);

// Cuts a byte stream (TCP) into frames. Bounded: a frame may be at most `max_frame` bytes.
class frame_splitter {
 public:
  static constexpr std::size_t max_frame = 1024;

  struct piece {
    enum class kind {
      frame,       // <LF> to <CR>: parse it
      bad_length,  // the length does not end on <CR>: NAK (it was skipped to the next <CR>)
      oversize,    // no <CR> within max_frame: dropped
      garbage,     // bytes before an <LF>: dropped
    } what;
    std::string bytes;
    crc_form crc = crc_form::hex;  // as the frame's header said, for the NAK
  };

  void feed(std::string_view bytes) { buffer_.append(bytes); }
  // The next piece, or nothing until more bytes come.
  std::optional<piece> next();
  std::size_t buffered() const { return buffer_.size(); }

 private:
  // Takes the first `count` bytes (all when fewer are held) off as a piece of at most max_frame.
  piece cut(piece::kind what, std::size_t count, crc_form form);
  std::string buffer_;
};

}  // namespace lantern::dc09
