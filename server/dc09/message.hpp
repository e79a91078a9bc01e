#pragma once
// What an alarm unit sends, built from the grammar: for the simulator and the tests.
//   <LF><crc><0LLL>"[*]<token>"<seq>[R<receiver>]L<line>#<account>[<data>]<x-data>_<time><CR>
// Encrypted (a key given) from the data on, with a random pad, as the standard says.

#include "dc09/frame.hpp"

#include <cstdint>
#include <string>

namespace lantern::dc09 {

struct unit_message {
  std::string token = "ADM-CID";  // SIA-DCS, ADM-CID or NULL
  int seq = 1;                    // 0-9999
  std::string receiver;           // empty: no R field
  std::string line = "0";
  std::string account;
  std::string data;      // what goes between [ and ], e.g. "#1234|1101 01 005"
  std::string extended;  // x-data blocks with their brackets, e.g. "[Rbedroom]"
};

// `key`: AES key bytes (empty: clear text). `sent_at_ms`: the unit's clock.
std::string make_message(const unit_message& m, const std::string& key, std::int64_t sent_at_ms,
                         crc_form form = crc_form::hex);

// A Contact ID event as a unit writes it after the account: "#1234|1101 01 005".
std::string contact_id_data(const std::string& account, int qualifier, const std::string& code, int zone);

}  // namespace lantern::dc09
