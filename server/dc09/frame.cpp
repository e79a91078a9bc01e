#include "dc09/frame.hpp"

#include "dc09/crc16.hpp"

#include <chrono>
#include <cstdio>

namespace lantern::dc09 {
namespace {

bool is_hex(char ch) { return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'F') || (ch >= 'a' && ch <= 'f'); }
bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

int hex_value(char ch) {
  if (is_digit(ch)) return ch - '0';
  if (ch >= 'a') return ch - 'a' + 10;
  return ch - 'A' + 10;
}

bool all_hex(std::string_view text) {
  for (char ch : text)
    if (!is_hex(ch)) return false;
  return true;
}

// Where the header says the frame's quoted part starts, and how long it is: nothing when
// `bytes` (from the <LF>) does not start with a CRC and a length in either form yet.
struct header {
  crc_form form;
  std::size_t quote_at;  // index of the opening quote
  std::size_t length;    // bytes from the quote to the byte before <CR>
};

std::optional<header> read_header(std::string_view bytes) {
  auto length_at = [&](std::size_t at) -> std::optional<std::size_t> {
    if (bytes.size() < at + 5 || bytes[at] != '0' || !all_hex(bytes.substr(at + 1, 3)) || bytes[at + 4] != '"')
      return std::nullopt;
    return static_cast<std::size_t>(hex_value(bytes[at + 1]) * 256 + hex_value(bytes[at + 2]) * 16 +
                                    hex_value(bytes[at + 3]));
  };
  if (bytes.size() >= 10 && all_hex(bytes.substr(1, 4)))
    if (auto length = length_at(5)) return header{crc_form::hex, 9, *length};
  if (auto length = length_at(3)) return header{crc_form::binary, 7, *length};
  return std::nullopt;
}

// Takes `count` characters of `set` from the front of `text`.
std::string take(std::string_view& text, std::size_t min, std::size_t max, bool (*set)(char)) {
  std::size_t n = 0;
  while (n < text.size() && n < max && set(text[n])) ++n;
  if (n < min) return {};
  std::string out(text.substr(0, n));
  text.remove_prefix(n);
  return out;
}

}  // namespace

std::string_view to_string(frame_problem problem) {
  switch (problem) {
    case frame_problem::none:
      return "ok";
    case frame_problem::bad_crc:
      return "bad_crc";
    case frame_problem::bad_length:
      return "bad_length";
    case frame_problem::bad_format:
      return "bad_format";
    case frame_problem::unknown_token:
      return "unknown_token";
  }
  return "bad_format";
}

std::optional<std::int64_t> parse_timestamp(std::string_view t) {
  // HH:MM:SS,MM-DD-YYYY
  if (t.size() != 19 || t[2] != ':' || t[5] != ':' || t[8] != ',' || t[11] != '-' || t[14] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 3, 4, 6, 7, 9, 10, 12, 13, 15, 16, 17, 18})
    if (!is_digit(t[i])) return std::nullopt;
  auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) v = v * 10 + (t[at + i] - '0');
    return v;
  };
  int hour = num(0, 2), minute = num(3, 2), second = num(6, 2);
  using namespace std::chrono;
  year_month_day date{year{num(15, 4)}, month{static_cast<unsigned>(num(9, 2))},
                      day{static_cast<unsigned>(num(12, 2))}};
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  auto at = sys_days{date} + hours{hour} + minutes{minute} + seconds{second};
  return duration_cast<milliseconds>(at.time_since_epoch()).count();
}

std::string format_timestamp(std::int64_t at_ms) {
  using namespace std::chrono;
  sys_time<milliseconds> at{milliseconds{at_ms}};
  auto day_start = floor<days>(at);
  year_month_day date{day_start};
  hh_mm_ss time{floor<seconds>(at - day_start)};
  char text[32];
  std::snprintf(text, sizeof text, "%02d:%02d:%02d,%02u-%02u-%04d", static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), static_cast<int>(date.year()));
  return text;
}

std::string read_body(std::string_view body, frame& out) {
  auto close = body.find(']');
  if (close == std::string_view::npos) return "the data has no closing ]";
  out.data = std::string(body.substr(0, close));
  body.remove_prefix(close + 1);
  while (!body.empty() && body.front() == '[') {
    auto end = body.find(']');
    if (end == std::string_view::npos) return "an extended-data block has no closing ]";
    auto block = body.substr(1, end - 1);
    if (block.empty() || block.front() < 'A' || block.front() > 'Z')
      return "an extended-data block must start with its letter: [" + std::string(block) + "]";
    out.extended.emplace_back(block);
    body.remove_prefix(end + 1);
  }
  if (body.empty()) return {};
  if (body.front() != '_') return "unexpected text after the data: " + std::string(body.substr(0, 20));
  out.sent_at_ms = parse_timestamp(body.substr(1));
  if (!out.sent_at_ms) return "the timestamp must be _HH:MM:SS,MM-DD-YYYY, not " + std::string(body.substr(0, 24));
  return {};
}

parsed_frame parse_frame(std::string_view bytes) {
  parsed_frame out;
  auto fail = [&](frame_problem problem, std::string why) {
    out.problem = problem;
    out.why = std::move(why);
    return out;
  };
  if (bytes.size() < 2 || bytes.front() != '\n' || bytes.back() != '\r')
    return fail(frame_problem::bad_format, "a frame runs from <LF> to <CR>");
  auto head = read_header(bytes);
  if (!head) return fail(frame_problem::bad_format, "no CRC and 0LLL length after <LF>");
  out.value.crc = head->form;
  auto body = bytes.substr(head->quote_at, bytes.size() - 1 - head->quote_at);
  if (body.size() != head->length)
    return fail(frame_problem::bad_length, "the length says " + std::to_string(head->length) +
                                               " bytes, the frame has " + std::to_string(body.size()));
  std::uint16_t sent = 0;
  if (head->form == crc_form::hex) {
    for (std::size_t i = 1; i <= 4; ++i) sent = static_cast<std::uint16_t>(sent * 16 + hex_value(bytes[i]));
  } else {
    sent = static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[1]) << 8 | static_cast<unsigned char>(bytes[2]));
  }
  if (auto computed = crc16_arc(body); computed != sent) {
    char why[64];
    std::snprintf(why, sizeof why, "the CRC says %04X, the bytes give %04X", sent, computed);
    return fail(frame_problem::bad_crc, why);
  }

  auto& f = out.value;
  auto rest = body.substr(1);
  auto quote = rest.find('"');
  if (quote == std::string_view::npos) return fail(frame_problem::bad_format, "the token has no closing quote");
  auto token = rest.substr(0, quote);
  rest.remove_prefix(quote + 1);
  f.encrypted = token.starts_with('*');
  if (f.encrypted) token.remove_prefix(1);
  f.token = std::string(token);
  f.seq = take(rest, 4, 4, is_digit);
  if (f.seq.empty()) return fail(frame_problem::bad_format, "the sequence number must be four digits");
  // R<rcvr>, L<pref> and #<acct>: a letter, then hex digits. Only L must be there.
  struct prefixed {
    char letter;
    std::string* field;
    std::size_t min, max;
    bool required;
  };
  for (auto [letter, field, min, max, required] :
       {prefixed{'R', &f.receiver, 1, 6, false}, prefixed{'L', &f.line, 1, 6, true},
        prefixed{'#', &f.account, 3, 16, false}}) {
    if (rest.empty() || rest.front() != letter) {
      if (required) return fail(frame_problem::bad_format, "the line prefix (L) is missing");
      continue;
    }
    rest.remove_prefix(1);
    *field = take(rest, min, max, is_hex);
    if (field->empty())
      return fail(frame_problem::bad_format, std::string(1, letter) + " must be followed by " + std::to_string(min) +
                                                 " to " + std::to_string(max) + " hex digits");
  }
  if (rest.empty() || rest.front() != '[') return fail(frame_problem::bad_format, "the data block ([) is missing");
  rest.remove_prefix(1);
  if (f.encrypted) {
    if (rest.empty() || rest.size() % 32 != 0 || !all_hex(rest))
      return fail(frame_problem::bad_format, "encrypted data must be hex, whole 16-byte blocks");
    f.cipher_hex = std::string(rest);
  } else if (auto why = read_body(rest, f); !why.empty()) {
    return fail(frame_problem::bad_format, why);
  }
  if (f.token != "SIA-DCS" && f.token != "ADM-CID" && f.token != "NULL")
    return fail(frame_problem::unknown_token, "token \"" + f.token + "\" is not one this receiver takes");
  return out;
}

frame_splitter::piece frame_splitter::cut(piece::kind what, std::size_t count, crc_form form) {
  count = std::min(count, buffer_.size());
  piece out{what, buffer_.substr(0, std::min(count, max_frame)), form};
  buffer_.erase(0, count);
  return out;
}

std::optional<frame_splitter::piece> frame_splitter::next() {
  using kind = piece::kind;
  if (buffer_.empty()) return std::nullopt;
  // Bytes before a frame: dropped, and reported once they are all here.
  if (auto lf = buffer_.find('\n'); lf != 0) return cut(kind::garbage, lf, crc_form::hex);
  // Too long to be a frame: dropped up to the next <LF>.
  auto oversize = [&](crc_form form) { return cut(kind::oversize, buffer_.find('\n', 1), form); };
  auto head = read_header(buffer_);
  if (!head) {
    // Not a header (yet): wait for more, unless it cannot become one.
    if (buffer_.size() < 10) return std::nullopt;
    auto cr = buffer_.find('\r');
    if (cr < max_frame) return cut(kind::frame, cr + 1, crc_form::hex);  // parse_frame names what is wrong
    if (cr == std::string::npos && buffer_.size() < max_frame) return std::nullopt;
    return oversize(crc_form::hex);
  }
  auto end = head->quote_at + head->length;  // where <CR> must be
  if (end + 1 > max_frame) return oversize(head->form);
  // No <CR> may come before the end the length gives (the quoted part never holds one).
  if (auto early = buffer_.find('\r', head->quote_at); early < end) return cut(kind::bad_length, early + 1, head->form);
  if (buffer_.size() <= end) return std::nullopt;
  if (buffer_[end] == '\r') return cut(kind::frame, end + 1, head->form);
  // The length is wrong: skip to the first <CR> after the header and answer NAK.
  auto cr = buffer_.find('\r', head->quote_at);
  if (cr == std::string::npos && buffer_.size() < max_frame) return std::nullopt;
  return cut(kind::bad_length, cr == std::string::npos ? buffer_.size() : cr + 1, head->form);
}

}  // namespace lantern::dc09
