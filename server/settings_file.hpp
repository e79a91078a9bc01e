#pragma once
// lantern.toml read into (key, value) pairs: "email.smtp_url" = "smtp://…". The file only
// spells settings; what each key means and allows is the option table's (option_table.hpp).

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lantern {

struct setting {
  std::string key;    // table.key
  std::string value;  // as text: a string as written, a number in its shortest exact form
};

// The settings in a file, in order, or why not (naming the line and column of a syntax
// error, or the key that is not a string or a number).
using settings_or_error = std::variant<std::vector<setting>, std::string>;
settings_or_error read_settings_file(const std::string& path);
// The same for text; `source` names it in the errors.
settings_or_error parse_settings_text(std::string_view text, const std::string& source);

}  // namespace lantern
