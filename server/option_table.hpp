#pragma once
// Every setting of lantern-server, once: its flag, its key in lantern.toml, its help and the
// rule for its value. The command line and the file both go through here, so a key cannot
// be missing from one of them; the escalation keys are the escalation layer's own table.

#include "server_options.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace lantern {

// Applies a setting named by its flag ("--db") or its key ("server.database"). Returns why
// not, starting with the key, for an unknown name or a value outside the rule; then
// `options` is unchanged.
std::optional<std::string> apply_setting(server_options& options, std::string_view name, std::string_view value);

// Whether `flag` names a setting (rather than an action such as --backup-to).
bool is_setting_flag(std::string_view flag);

// Every setting with its flag and key, grouped by the file's tables, for --help.
std::string settings_help();

}  // namespace lantern
