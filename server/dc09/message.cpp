#include "dc09/message.hpp"

#include "dc09/crypto.hpp"
#include "dc09/reply.hpp"

#include <cstdio>

namespace lantern::dc09 {

std::string make_message(const unit_message& m, const std::string& key, std::int64_t sent_at_ms, crc_form form) {
  char seq[8];
  std::snprintf(seq, sizeof seq, "%04d", m.seq % 10000);
  std::string head = "\"" + std::string(key.empty() ? "" : "*") + m.token + "\"" + seq +
                     (m.receiver.empty() ? "" : "R" + m.receiver) + "L" + m.line + "#" + m.account + "[";
  std::string rest = m.data + "]" + m.extended + "_" + format_timestamp(sent_at_ms);
  return wrap(head + (key.empty() ? rest : encrypt(rest, key)), form);
}

std::string contact_id_data(const std::string& account, int qualifier, const std::string& code, int zone) {
  char text[32];
  std::snprintf(text, sizeof text, "%d%s 01 %03d", qualifier, code.c_str(), zone % 1000);
  return "#" + account + "|" + text;
}

}  // namespace lantern::dc09
