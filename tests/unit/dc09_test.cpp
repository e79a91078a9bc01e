// SIA DC-09 frames, checked against facts: frames sent by alarm units in the field (their
// CRCs and lengths recomputed here by an independent bit-by-bit CRC), frames built from the
// grammar, encryption done here with OpenSSL directly (every key size, both key forms, the
// pad variants senders use), the time window with a fixed clock, and every row of the
// event-code table.
#include "centre/field_formats.hpp"
#include "dc09/crc16.hpp"
#include "dc09/crypto.hpp"
#include "dc09/events.hpp"
#include "dc09/frame.hpp"
#include "dc09/intake.hpp"
#include "dc09/reply.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstdio>
#include <random>

namespace lantern::dc09 {
namespace {

// CRC-16/ARC bit by bit, as the standard describes it: the check on the codec's table.
std::uint16_t reference_crc(std::string_view bytes) {
  std::uint16_t crc = 0;
  for (unsigned char byte : bytes) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0xA001) : crc >> 1;
  }
  return crc;
}

// <LF><crc><0LLL><body><CR>, framed here rather than by the codec.
std::string framed(std::string_view body, bool binary_crc = false) {
  char head[16];
  std::string out = "\n";
  auto crc = reference_crc(body);
  if (binary_crc) {
    out += static_cast<char>(crc >> 8);
    out += static_cast<char>(crc & 0xFF);
  } else {
    std::snprintf(head, sizeof head, "%04X", crc);
    out += head;
  }
  std::snprintf(head, sizeof head, "0%03zX", body.size());
  return out + head + std::string(body) + "\r";
}

// AES-CBC, zero IV, no padding, with OpenSSL directly; upper-case hex.
std::string aes_hex(std::string_view clear, std::string_view key) {
  const EVP_CIPHER* cipher = key.size() == 16   ? EVP_aes_128_cbc()
                             : key.size() == 24 ? EVP_aes_192_cbc()
                                                : EVP_aes_256_cbc();
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  unsigned char iv[16] = {};
  EVP_EncryptInit_ex(ctx, cipher, nullptr, reinterpret_cast<const unsigned char*>(key.data()), iv);
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  std::string out(clear.size() + 16, '\0');
  int n = 0, last = 0;
  EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &n,
                    reinterpret_cast<const unsigned char*>(clear.data()), static_cast<int>(clear.size()));
  EVP_EncryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + n, &last);
  EVP_CIPHER_CTX_free(ctx);
  out.resize(static_cast<std::size_t>(n + last));
  std::string hex;
  char two[3];
  for (unsigned char byte : out) {
    std::snprintf(two, sizeof two, "%02X", byte);
    hex += two;
  }
  return hex;
}

// Frames alarm units sent to receivers in the field (PROSEC and Hikvision communicators).
const char* field_frames[] = {
    "B0970029\"NULL\"0000L000#0809[]_21:00:01,02-20-2024",
    "F68B003B\"ADM-CID\"0028L0#9757[#9757|1602 00 000]_20:59:45,02-20-2024",
    "B4330036\"SIA-DCS\"0442L000#36214[36214|NRP]_00:00:00,02-21-2024",
    "3F60003C\"SIA-DCS\"0001L0#51449[#51449|Nri0000/LR]_21:26:19,12-20-2023",
    "7B620035\"SIA-DCS\"0005L000#3044[3044|NOP1]_00:03:31,12-21-2023",
    "85340035\"SIA-DCS\"0004L000#3044[3044|NBC1]_00:03:31,12-21-2023",
    "99820040\"ADM-CID\"1937R15L1#21401[#21401|1602 00 000]_20:59:59,02-20-2024",
};

// 2024-02-20 20:59:45 UTC.
constexpr std::int64_t field_time = 1'708'462'785'000;

TEST(Dc09Crc, MatchesTheStandardsCheckValueAndABitByBitReference) {
  EXPECT_EQ(crc16_arc("123456789"), 0xBB3D);
  std::mt19937 random(7);
  for (int i = 0; i < 200; ++i) {
    std::string bytes(random() % 300, '\0');
    for (auto& ch : bytes) ch = static_cast<char>(random());
    EXPECT_EQ(crc16_arc(bytes), reference_crc(bytes));
  }
}

TEST(Dc09Frame, FramesFromTheFieldAreReadWhole) {
  for (const char* text : field_frames) {
    auto bytes = "\n" + std::string(text) + "\r";
    // Their own CRC and length, checked independently.
    std::string_view body = std::string_view(text).substr(8);
    unsigned sent_crc = 0, sent_length = 0;
    std::sscanf(text, "%4X%4X", &sent_crc, &sent_length);
    ASSERT_EQ(sent_crc, reference_crc(body)) << text;
    ASSERT_EQ(sent_length, body.size()) << text;
    auto parsed = parse_frame(bytes);
    EXPECT_EQ(parsed.problem, frame_problem::none) << text << ": " << parsed.why;
    EXPECT_EQ(parsed.value.crc, crc_form::hex);
    EXPECT_TRUE(parsed.value.sent_at_ms.has_value()) << text;
  }
  auto cid = parse_frame("\n" + std::string(field_frames[1]) + "\r").value;
  EXPECT_EQ(cid.token, "ADM-CID");
  EXPECT_FALSE(cid.encrypted);
  EXPECT_EQ(cid.seq, "0028");
  EXPECT_EQ(cid.line, "0");
  EXPECT_EQ(cid.account, "9757");
  EXPECT_EQ(cid.data, "#9757|1602 00 000");
  EXPECT_EQ(cid.sent_at_ms, field_time);
  auto hik = parse_frame("\n" + std::string(field_frames[6]) + "\r").value;
  EXPECT_EQ(hik.receiver, "15");
  EXPECT_EQ(hik.line, "1");
  EXPECT_EQ(hik.account, "21401");
}

TEST(Dc09Frame, AWrongCrcOrLengthOrShapeIsNamedAndNothingIsRead) {
  std::string good = "\n" + std::string(field_frames[1]) + "\r";
  auto flipped = good;
  flipped[30] = flipped[30] == '9' ? '8' : '9';  // a digit of the account
  auto bad_crc = parse_frame(flipped);
  EXPECT_EQ(bad_crc.problem, frame_problem::bad_crc);
  EXPECT_NE(bad_crc.why.find("CRC"), std::string::npos);

  auto longer = good;
  longer.replace(5, 4, "003C");  // one more than there is
  EXPECT_EQ(parse_frame(longer).problem, frame_problem::bad_length);

  for (std::string body : {"\"SIA-DCS\"01L0#1234[]", "\"SIA-DCS\"0001#1234[]", "\"SIA-DCS\"0001L0#12[]",
                           "\"SIA-DCS\"0001L0#1234[#1234|NFA1", "\"SIA-DCS\"0001L0#1234[]_25:00:00,01-01-2026",
                           "\"SIA-DCS\"0001L0#1234[][x]", "\"*SIA-DCS\"0001L0#1234[ABC"})
    EXPECT_EQ(parse_frame(framed(body)).problem, frame_problem::bad_format) << body;
  EXPECT_EQ(parse_frame(framed("\"XYZ\"0001L0#1234[]")).problem, frame_problem::unknown_token);
  EXPECT_EQ(parse_frame("no frame").problem, frame_problem::bad_format);
}

TEST(Dc09Frame, ABinaryCrcIsTakenAndAnsweredInTheSameForm) {
  auto bytes = framed("\"ADM-CID\"0007R1L2#ABC123[#ABC123|1101 01 004]", true);
  auto parsed = parse_frame(bytes);
  ASSERT_EQ(parsed.problem, frame_problem::none) << parsed.why;
  EXPECT_EQ(parsed.value.crc, crc_form::binary);
  EXPECT_EQ(parsed.value.account, "ABC123");
  auto ack = make_reply(reply_kind::ack, parsed.value, field_time);
  std::string_view ack_body(ack);
  ack_body = ack_body.substr(7, ack_body.size() - 8);
  EXPECT_EQ(ack_body, "\"ACK\"0007R1L2#ABC123[]");
  EXPECT_EQ(static_cast<unsigned char>(ack[1]) << 8 | static_cast<unsigned char>(ack[2]), reference_crc(ack_body));
  EXPECT_EQ(ack.substr(3, 4), "0016");
}

TEST(Dc09Frame, ExtendedDataAndTheTimestampAreKept) {
  auto parsed = parse_frame(framed(
      "\"SIA-DCS\"0012L0#1234[#1234|Nri1/MA003^Bedroom^][X010E57.5698080][Y59N12.8347][Rbedroom][Ifell by the bed]"
      "[H12:03:05,11-30-2026][M001122AABBCC]_12:03:07,11-30-2026"));
  ASSERT_EQ(parsed.problem, frame_problem::none) << parsed.why;
  EXPECT_EQ(parsed.value.extended,
            (std::vector<std::string>{"X010E57.5698080", "Y59N12.8347", "Rbedroom", "Ifell by the bed",
                                      "H12:03:05,11-30-2026", "M001122AABBCC"}));
  EXPECT_EQ(parsed.value.sent_at_ms, parse_timestamp("12:03:07,11-30-2026"));
  EXPECT_EQ(format_timestamp(*parsed.value.sent_at_ms), "12:03:07,11-30-2026");
}

struct key_case {
  std::string text;
  key_form form;
  std::string bytes;
};

std::vector<key_case> every_key() {
  return {{"000102030405060708090A0B0C0D0E0F", key_form::hex,
           std::string("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f", 16)},
          {"00112233445566778899aabbccddeeff0011223344556677", key_form::hex, ""},
          {"603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", key_form::hex, ""},
          {"AjaxHubKey123456", key_form::ascii, "AjaxHubKey123456"},
          {"AjaxHubKey123456789012AB", key_form::ascii, "AjaxHubKey123456789012AB"},
          {"AjaxHubKey123456789012ABCDEFGHIJ", key_form::ascii, "AjaxHubKey123456789012ABCDEFGHIJ"}};
}

TEST(Dc09Crypto, EncryptedFramesOpenWithEveryKeySizeAndBothKeyForms) {
  auto now = field_time;
  auto stamp = "_" + format_timestamp(now);
  for (const auto& k : every_key()) {
    auto key = key_bytes(k.text, k.form);
    ASSERT_TRUE(key) << k.text;
    if (!k.bytes.empty()) {
      EXPECT_EQ(*key, k.bytes);
    }
    std::string clear = "#1234|Nri1/QA003]" + stamp;
    std::string pad(16 - (clear.size() + 1) % 16, 'q');
    auto cipher = aes_hex(pad + "|" + clear, *key);
    auto bytes = framed("\"*SIA-DCS\"0042L0#1234[" + cipher);
    auto parsed = parse_frame(bytes);
    ASSERT_EQ(parsed.problem, frame_problem::none) << parsed.why;
    EXPECT_TRUE(parsed.value.encrypted);
    EXPECT_EQ(parsed.value.token, "SIA-DCS");
    EXPECT_EQ(decrypt(parsed.value, *key), "") << k.text;
    EXPECT_EQ(parsed.value.data, "#1234|Nri1/QA003");
    EXPECT_EQ(parsed.value.sent_at_ms, now);

    // The reply is encrypted too, and opens with the same key.
    auto ack = make_reply(reply_kind::ack, parsed.value, now, *key);
    auto reply = parse_frame(ack);
    ASSERT_EQ(reply.problem, frame_problem::unknown_token);  // "*ACK" is a reply, not a message
    EXPECT_TRUE(reply.value.encrypted);
    EXPECT_EQ(decrypt(reply.value, *key), "");
    EXPECT_EQ(reply.value.sent_at_ms, now);
  }
  EXPECT_FALSE(key_bytes("0011", key_form::hex));
  EXPECT_FALSE(key_bytes("not hex at all, thirty-two chars", key_form::hex));
  EXPECT_FALSE(key_bytes("short", key_form::ascii));
  EXPECT_NE(dc09_key_problem("0011", false), "");
  EXPECT_EQ(dc09_key_problem("AjaxHubKey123456", true), "");
  EXPECT_EQ(dc09_key_problem(std::string(48, 'a'), false), "");
  EXPECT_NE(dc09_key_problem(std::string(40, 'a'), false), "") << "a whole number of bytes, but no AES key size";
}

TEST(Dc09Crypto, ThePadVariantsSendersUseAreAccepted) {
  auto key = *key_bytes("AjaxHubKey123456", key_form::ascii);
  auto stamp = "_" + format_timestamp(field_time);
  auto open = [&](const std::string& clear) {
    frame f;
    f.cipher_hex = aes_hex(clear, key);
    auto why = decrypt(f, key);
    return std::pair{why, f};
  };
  // A NULL message with no '|' after the pad.
  auto null_clear = std::string(16 - (1 + stamp.size()) % 16, 'x') + "]" + stamp;
  auto [why, f] = open(null_clear);
  EXPECT_EQ(why, "");
  EXPECT_EQ(f.data, "");
  // Padded with '0' and with NUL.
  for (char pad : {'0', '\0'}) {
    std::string clear = "#1234|1101 01 003]" + stamp;
    auto [w, g] = open(std::string(16 - (clear.size() + 1) % 16, pad) + "|" + clear);
    EXPECT_EQ(w, "");
    EXPECT_EQ(g.data, "#1234|1101 01 003");
  }
  // A wrong key reads as garbage: refused, not taken.
  frame wrong;
  wrong.cipher_hex = aes_hex(std::string(11, 'p') + "|#1234|NRP]" + stamp, key);
  EXPECT_NE(decrypt(wrong, *key_bytes("AnotherKey123456", key_form::ascii)), "");
  // Our own pad never holds '|', '[' or ']'.
  for (int i = 0; i < 50; ++i) {
    frame mine;
    mine.cipher_hex = encrypt("]" + stamp, key);
    EXPECT_EQ(decrypt(mine, key), "");
  }
}

TEST(Dc09Reply, TheTimeWindowIsTwentySecondsAheadAndFortyBehind) {
  EXPECT_TRUE(within_time_window(field_time, field_time));
  EXPECT_TRUE(within_time_window(field_time + 20'000, field_time));
  EXPECT_FALSE(within_time_window(field_time + 21'000, field_time));
  EXPECT_TRUE(within_time_window(field_time - 40'000, field_time));
  EXPECT_FALSE(within_time_window(field_time - 41'000, field_time));
}

TEST(Dc09Reply, NakCarriesTheReceiversTimeAndDuhEchoesTheMessage) {
  auto nak = make_nak(crc_form::hex, field_time);
  EXPECT_EQ(nak.substr(9, nak.size() - 10), "\"NAK\"0000R0L0A0[]_20:59:45,02-20-2024");
  auto nak_parsed = parse_frame(nak);
  EXPECT_EQ(nak_parsed.problem, frame_problem::unknown_token) << "a valid frame, just not a message";
  auto message = parse_frame("\n" + std::string(field_frames[6]) + "\r").value;
  auto duh = make_reply(reply_kind::duh, message, field_time);
  EXPECT_EQ(duh.substr(9, duh.size() - 10), "\"DUH\"1937R15L1#21401[]");
  auto rsp = make_reply(reply_kind::rsp, message, field_time);
  EXPECT_EQ(rsp.substr(9, rsp.size() - 10), "\"RSP\"1937R15L1#21401[]");
}

TEST(Dc09Splitter, FramesComeOutWholeHoweverTheBytesArrive) {
  std::string stream;
  for (const char* text : field_frames) stream += "\n" + std::string(text) + "\r";
  // All at once.
  frame_splitter all;
  all.feed(stream);
  int whole = 0;
  while (auto piece = all.next()) {
    EXPECT_EQ(piece->what, frame_splitter::piece::kind::frame);
    EXPECT_EQ(parse_frame(piece->bytes).problem, frame_problem::none);
    ++whole;
  }
  EXPECT_EQ(whole, 7);
  // A byte at a time.
  frame_splitter dribble;
  whole = 0;
  for (char ch : stream) {
    dribble.feed(std::string_view(&ch, 1));
    while (auto piece = dribble.next()) whole += piece->what == frame_splitter::piece::kind::frame;
  }
  EXPECT_EQ(whole, 7);
  // A binary CRC holding <CR> and <LF> bytes is still cut by its length.
  for (int seq = 0; seq < 2000; ++seq) {
    char body[64];
    std::snprintf(body, sizeof body, "\"NULL\"%04dL0#1234[]", seq % 10000);
    auto crc = reference_crc(body);
    if ((crc >> 8) != '\r' && (crc >> 8) != '\n' && (crc & 0xFF) != '\r' && (crc & 0xFF) != '\n') continue;
    frame_splitter binary;
    binary.feed(framed(body, true) + framed(body, true));
    auto first = binary.next();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->what, frame_splitter::piece::kind::frame) << body;
    EXPECT_EQ(parse_frame(first->bytes).problem, frame_problem::none) << body;
  }
}

TEST(Dc09Splitter, GarbageOversizeAndLiesAboutLengthAreDroppedAndTheNextFrameStillComes) {
  using kind = frame_splitter::piece::kind;
  std::string good = "\n" + std::string(field_frames[1]) + "\r";
  frame_splitter s;
  s.feed("GET / HTTP/1.1\r\n");  // garbage, then an <LF> that starts no frame
  s.feed(std::string(2000, 'A'));
  s.feed(good);
  std::vector<kind> seen;
  while (auto piece = s.next()) {
    seen.push_back(piece->what);
    EXPECT_LE(piece->bytes.size(), frame_splitter::max_frame);
  }
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front(), kind::garbage);
  EXPECT_EQ(seen.back(), kind::frame);
  EXPECT_NE(std::find(seen.begin(), seen.end(), kind::oversize), seen.end());

  // A length that runs past the <CR>: NAKed at the <CR>, then the next frame.
  auto liar = good;
  liar.replace(5, 4, "00FF");
  frame_splitter t;
  t.feed(liar + good);
  auto first = t.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->what, kind::bad_length);
  auto second = t.next();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->what, kind::frame);
  EXPECT_EQ(second->bytes, good);
}

TEST(Dc09Events, ContactIdAndSiaDataAreRead) {
  auto cid = std::get<std::vector<unit_event>>(read_events("ADM-CID", "#9757|1602 00 000"));
  ASSERT_EQ(cid.size(), 1u);
  EXPECT_EQ(cid[0].kind, qualifier::new_event);
  EXPECT_EQ(cid[0].code, "602");
  EXPECT_EQ(cid[0].area, "00");
  EXPECT_EQ(cid[0].zone, "000");
  auto restore = std::get<std::vector<unit_event>>(read_events("ADM-CID", "1234|3301 01 000"));
  EXPECT_EQ(restore[0].kind, qualifier::restore);

  auto sia = std::get<std::vector<unit_event>>(read_events("SIA-DCS", "#1234|Nri1/MA003^Bedroom^/FA2"));
  ASSERT_EQ(sia.size(), 2u);
  EXPECT_EQ(sia[0].code, "MA");
  EXPECT_EQ(sia[0].area, "1");
  EXPECT_EQ(sia[0].zone, "003");
  EXPECT_EQ(sia[0].text, "Bedroom");
  EXPECT_EQ(sia[1].code, "FA");
  EXPECT_EQ(sia[1].zone, "2");
  EXPECT_EQ(std::get<std::vector<unit_event>>(read_events("SIA-DCS", "36214|NRP"))[0].code, "RP");
  EXPECT_TRUE(std::get<std::vector<unit_event>>(read_events("NULL", "")).empty());

  for (auto [token, data] :
       {std::pair{"ADM-CID", "#1|1101"}, std::pair{"ADM-CID", "#1|9101 01 001"}, std::pair{"ADM-CID", "#1|1101 01 00Z"},
        std::pair{"SIA-DCS", "#1|N"}, std::pair{"SIA-DCS", "#1|Nri1/x"}})
    EXPECT_TRUE(std::holds_alternative<std::string>(read_events(token, data))) << token << " " << data;
}

TEST(Dc09Events, EveryRowOfTheTableMeansWhatItSays) {
  using at = alarm_type;
  struct expectation {
    code_scheme scheme;
    const char* code;
    at type;
  };
  const expectation issue_table[] = {
      {code_scheme::contact_id, "101", at::pendant},
      {code_scheme::sia, "QA", at::pendant},
      {code_scheme::contact_id, "100", at::medical},
      {code_scheme::sia, "MA", at::medical},
      {code_scheme::contact_id, "120", at::panic},
      {code_scheme::sia, "PA", at::panic},
      {code_scheme::contact_id, "110", at::smoke},
      {code_scheme::contact_id, "111", at::smoke},
      {code_scheme::sia, "FA", at::smoke},
      {code_scheme::contact_id, "114", at::heat},
      {code_scheme::sia, "KA", at::heat},
      {code_scheme::contact_id, "151", at::gas},
      {code_scheme::contact_id, "162", at::co},
      {code_scheme::sia, "GA", at::gas},
      {code_scheme::contact_id, "154", at::flood},
      {code_scheme::contact_id, "113", at::flood},
      {code_scheme::sia, "WA", at::flood},
      {code_scheme::contact_id, "159", at::temperature},
      {code_scheme::sia, "ZA", at::temperature},
      {code_scheme::contact_id, "654", at::no_activity},
      {code_scheme::contact_id, "641", at::no_activity},
      {code_scheme::sia, "NA", at::no_activity},
      {code_scheme::contact_id, "301", at::mains_fail},
      {code_scheme::sia, "AT", at::mains_fail},
      {code_scheme::sia, "AR", at::mains_restore},
      {code_scheme::contact_id, "302", at::low_battery},
      {code_scheme::contact_id, "384", at::low_battery},
      {code_scheme::sia, "YT", at::low_battery},
      {code_scheme::sia, "YR", at::low_battery},
      {code_scheme::sia, "XT", at::low_battery},
      {code_scheme::sia, "XR", at::low_battery},
      {code_scheme::contact_id, "137", at::tamper},
      {code_scheme::contact_id, "383", at::tamper},
      {code_scheme::sia, "TA", at::tamper},
      {code_scheme::contact_id, "350", at::comms_fault},
      {code_scheme::sia, "YC", at::comms_fault},
      {code_scheme::contact_id, "602", at::test},
      {code_scheme::sia, "RP", at::test},
      {code_scheme::contact_id, "406", at::cancel},
      {code_scheme::sia, "OC", at::cancel},
  };
  for (const auto& want : issue_table) {
    unit_event e{want.scheme, qualifier::new_event, want.code, "001", "", ""};
    auto meaning = meaning_of(e);
    ASSERT_TRUE(meaning.type) << want.code;
    EXPECT_EQ(*meaning.type, want.type) << want.code;
    EXPECT_FALSE(meaning.description.empty());
  }
  // Every row of the table, read back through meaning_of.
  for (const auto& row : code_table()) {
    unit_event e{row.scheme, qualifier::new_event, std::string(row.code), "", "", ""};
    auto meaning = meaning_of(e);
    EXPECT_EQ(meaning.type, row.type) << row.code;
    EXPECT_EQ(meaning.restore, row.restore) << row.code;
  }
  // A Contact ID restore keeps the type (mains come back as mains_restore).
  auto mains_back = meaning_of({code_scheme::contact_id, qualifier::restore, "301", "000", "", ""});
  EXPECT_EQ(mains_back.type, at::mains_restore);
  EXPECT_TRUE(mains_back.restore);
  auto fire_out = meaning_of({code_scheme::contact_id, qualifier::restore, "110", "000", "", ""});
  EXPECT_EQ(fire_out.type, at::smoke);
  EXPECT_TRUE(fire_out.restore);
  // A code not in the table is never lost: no type, and the raw code in the words.
  auto unknown = meaning_of({code_scheme::contact_id, qualifier::new_event, "999", "000", "", ""});
  EXPECT_FALSE(unknown.type);
  EXPECT_NE(unknown.description.find("999"), std::string::npos);
}

// The receiver's decisions, with two accounts: Margaret's encrypted hub with a fall
// detector on zone 5, and a clear-text panel that must name receiver 12 and line 3.
class Dc09Intake : public ::testing::Test {
 protected:
  Dc09Intake() {
    hub.device_id = "hub-margaret";
    hub.person_id = "margaret";
    hub.key = *key_bytes("AjaxHubKey123456", key_form::ascii);
    hub.zones = {{"5", alarm_type::fall, "bedroom"}};
    panel.device_id = "panel-ann";
    panel.person_id = "ann";
    panel.receiver = "12";
    panel.line = "3";
  }
  const account* lookup(const std::string& id) const {
    if (id == "AB12") return &hub;
    if (id == "C0FFEE") return &panel;
    return nullptr;
  }
  intake take(const std::string& bytes, std::int64_t now = field_time) {
    return take_frame(
        bytes, [this](const std::string& id) { return lookup(id); }, now);
  }
  // The hub's message with `data`, encrypted with its key, sent at `sent`.
  std::string from_hub(const std::string& data, std::int64_t sent = field_time, std::string seq = "0101") {
    std::string clear = data + "]_" + format_timestamp(sent);
    std::string pad(16 - (clear.size() + 1) % 16, 'z');
    return framed("\"*ADM-CID\"" + seq + "L0#AB12[" + aes_hex(pad + "|" + clear, hub.key));
  }
  account hub, panel;
};

TEST_F(Dc09Intake, AnEncryptedHubsFallZoneIsAFallForItsPersonAndTheAckIsEncrypted) {
  auto in = take(from_hub("#AB12|1101 01 005"));
  ASSERT_EQ(in.reply, reply_kind::ack) << in.why;
  ASSERT_EQ(in.from, &hub);
  ASSERT_EQ(in.alarms.size(), 1u);
  EXPECT_EQ(in.alarms[0].type, alarm_type::fall) << "the zone is a fall detector, though it reports as 101";
  EXPECT_NE(in.alarms[0].detail.find("Contact ID 101"), std::string::npos) << in.alarms[0].detail;
  EXPECT_NE(in.alarms[0].detail.find("zone 005 (bedroom)"), std::string::npos) << in.alarms[0].detail;
  auto ack = parse_frame(in.reply_bytes);
  EXPECT_TRUE(ack.value.encrypted);
  EXPECT_EQ(ack.value.seq, "0101");
  EXPECT_EQ(decrypt(ack.value, hub.key), "");
  // Another zone is what the code says.
  EXPECT_EQ(take(from_hub("#AB12|1101 01 002")).alarms[0].type, alarm_type::pendant);
}

TEST_F(Dc09Intake, AReSentMessageHasTheSameContentThoughItsPadAndTimeDiffer) {
  auto first = take(from_hub("#AB12|1101 01 005"));
  auto again = take(from_hub("#AB12|1101 01 005", field_time + 15'000), field_time + 15'000);
  ASSERT_EQ(again.reply, reply_kind::ack);
  EXPECT_EQ(first.content, again.content);
  EXPECT_NE(take(from_hub("#AB12|1101 01 004")).content, first.content);
}

TEST_F(Dc09Intake, WhatCannotBeTakenIsRefusedAndStoresNothing) {
  auto bad_crc = from_hub("#AB12|1101 01 005");
  bad_crc[2] = bad_crc[2] == '0' ? '1' : '0';
  auto nak = take(bad_crc);
  EXPECT_EQ(nak.reply, reply_kind::nak);
  EXPECT_TRUE(nak.alarms.empty());
  EXPECT_NE(nak.reply_bytes.find("\"NAK\"0000R0L0A0[]_20:59:45,02-20-2024"), std::string::npos);

  auto stale = take(from_hub("#AB12|1101 01 005", field_time - 41'000));
  EXPECT_EQ(stale.reply, reply_kind::nak);
  EXPECT_NE(stale.why.find("time window"), std::string::npos);
  EXPECT_EQ(take(from_hub("#AB12|1101 01 005", field_time + 21'000)).reply, reply_kind::nak);

  auto unknown = take(framed("\"ADM-CID\"0001L0#BEEF[#BEEF|1101 01 001]"));
  EXPECT_EQ(unknown.reply, reply_kind::duh);
  EXPECT_EQ(unknown.account_id, "BEEF");
  EXPECT_TRUE(unknown.alarms.empty());
  EXPECT_NE(unknown.reply_bytes.find("\"DUH\"0001L0#BEEF[]"), std::string::npos);

  EXPECT_EQ(take(framed("\"ADM-CID\"0001R12L4#C0FFEE[#C0FFEE|1101 01 001]")).reply, reply_kind::duh)
      << "the wrong line";
  EXPECT_EQ(take(framed("\"ADM-CID\"0001R13L3#C0FFEE[#C0FFEE|1101 01 001]")).reply, reply_kind::duh)
      << "the wrong receiver";
  EXPECT_EQ(take(framed("\"ADM-CID\"0001L0#AB12[#AB12|1101 01 001]")).reply, reply_kind::duh)
      << "a keyed hub sending in clear";
  auto wrong_key = from_hub("#AB12|1101 01 005");
  hub.key = *key_bytes("AnotherKey123456", key_form::ascii);
  EXPECT_EQ(take(wrong_key).reply, reply_kind::nak);
}

TEST_F(Dc09Intake, ACodeNotInTheTableIsStillTakenWithItsRawCode) {
  auto in = take(framed("\"ADM-CID\"0002R12L3#C0FFEE[#C0FFEE|1999 01 007]"));
  ASSERT_EQ(in.reply, reply_kind::ack) << in.why;
  ASSERT_EQ(in.alarms.size(), 1u);
  EXPECT_EQ(in.alarms[0].type, alarm_type::unit_event);
  EXPECT_FALSE(in.alarms[0].mapped);
  EXPECT_NE(in.alarms[0].detail.find("Contact ID 999"), std::string::npos) << in.alarms[0].detail;
  auto garbled = take(framed("\"SIA-DCS\"0003R12L3#C0FFEE[#C0FFEE|N99]"));
  ASSERT_EQ(garbled.reply, reply_kind::ack);
  ASSERT_EQ(garbled.alarms.size(), 1u);
  EXPECT_EQ(garbled.alarms[0].type, alarm_type::unit_event);
  EXPECT_NE(garbled.alarms[0].detail.find("N99"), std::string::npos);
}

TEST_F(Dc09Intake, ExtendedDataGoesWithTheAlarmAndAKeyChangeIsAnsweredRspAndNeverShown) {
  auto in =
      take(framed("\"SIA-DCS\"0004R12L3#C0FFEE[#C0FFEE|Nri1/MA003^Bedroom^][X010E57.56][Y59N12.83][Rbedroom]"
                  "[Ifell][Kfeedfacefeedfacefeedfacefeedface]"));
  ASSERT_EQ(in.reply, reply_kind::rsp) << in.why;
  ASSERT_EQ(in.alarms.size(), 1u);
  EXPECT_EQ(in.alarms[0].type, alarm_type::medical);
  const auto& detail = in.alarms[0].detail;
  EXPECT_NE(detail.find("longitude: 010E57.56"), std::string::npos) << detail;
  EXPECT_NE(detail.find("room: bedroom"), std::string::npos) << detail;
  EXPECT_NE(detail.find("alarm text: fell"), std::string::npos) << detail;
  EXPECT_EQ(detail.find("feedface"), std::string::npos) << "a new key is never shown";
  EXPECT_NE(in.reply_bytes.find("\"RSP\"0004R12L3#C0FFEE[]"), std::string::npos);
  // For the administrators: a fingerprint of the new key, never the key.
  EXPECT_EQ(in.new_key_fingerprint.rfind("sha256:", 0), 0u) << in.new_key_fingerprint;
  EXPECT_EQ(in.new_key_fingerprint.size(), 7u + 16u);
  EXPECT_EQ(in.new_key_fingerprint.find("feedface"), std::string::npos);
  // A key-change request with no events is only that: answered RSP, nothing stored.
  auto only_key = take(framed("\"SIA-DCS\"0005R12L3#C0FFEE[][K00112233445566778899aabbccddeeff]"));
  EXPECT_EQ(only_key.reply, reply_kind::rsp) << only_key.why;
  EXPECT_TRUE(only_key.alarms.empty());
  EXPECT_NE(only_key.new_key_fingerprint, in.new_key_fingerprint);
}

TEST_F(Dc09Intake, EachRefusalNamesItsReasonForTheMetrics) {
  auto bad_crc = from_hub("#AB12|1101 01 005");
  bad_crc[2] = bad_crc[2] == '0' ? '1' : '0';
  EXPECT_EQ(take(bad_crc).refusal, "bad_frame");
  EXPECT_EQ(take(bad_crc).token, "unreadable");
  EXPECT_EQ(take(from_hub("#AB12|1101 01 005", field_time - 41'000)).refusal, "time_window");
  auto unknown = take(framed("\"ADM-CID\"0001L0#BEEF[#BEEF|1101 01 001]"));
  EXPECT_EQ(unknown.refusal, "unknown_account");
  EXPECT_EQ(unknown.token, "ADM-CID");
  EXPECT_NE(unknown.summary.find("1101 01 001"), std::string::npos) << "what an unknown unit sent, for the list";
  EXPECT_EQ(take(framed("\"ADM-CID\"0001R13L3#C0FFEE[#C0FFEE|1101 01 001]")).refusal, "wrong_route");
  EXPECT_EQ(take(framed("\"ADM-CID\"0001L0#AB12[#AB12|1101 01 001]")).refusal, "key_mismatch");
  EXPECT_EQ(take(framed("\"XYZ-ABC\"0001L0#AB12[]")).refusal, "unknown_token");
  auto taken = take(from_hub("#AB12|1101 01 005"));
  EXPECT_EQ(taken.refusal, "");
  EXPECT_EQ(taken.token, "*ADM-CID");
  EXPECT_EQ(taken.seq, "0101");
  ASSERT_TRUE(taken.sent_at_ms);
  EXPECT_EQ(*taken.sent_at_ms, field_time);
}

TEST_F(Dc09Intake, ANullMessageIsACheckInAndARestoreIsMarked) {
  auto null = take(framed("\"NULL\"0005R12L3#C0FFEE[]_20:59:45,02-20-2024"));
  EXPECT_EQ(null.reply, reply_kind::ack);
  EXPECT_EQ(null.from, &panel);
  EXPECT_TRUE(null.alarms.empty());
  auto restore = take(framed("\"ADM-CID\"0006R12L3#C0FFEE[#C0FFEE|3301 00 000]"));
  ASSERT_EQ(restore.alarms.size(), 1u);
  EXPECT_TRUE(restore.alarms[0].restore);
  EXPECT_EQ(restore.alarms[0].type, alarm_type::mains_restore);
  // Any other restore is news for the unit's open case, never a case of its own.
  auto smoke_cleared = take(framed("\"ADM-CID\"0007R12L3#C0FFEE[#C0FFEE|3111 01 004]"));
  ASSERT_EQ(smoke_cleared.alarms.size(), 1u);
  EXPECT_EQ(smoke_cleared.alarms[0].type, alarm_type::restore);
  EXPECT_FALSE(opens_case(alarm_type::restore));
  EXPECT_NE(smoke_cleared.alarms[0].detail.find("Contact ID 111"), std::string::npos);
}

}  // namespace
}  // namespace lantern::dc09
