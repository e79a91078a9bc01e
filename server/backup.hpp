#pragma once
// `lantern-server --backup-to FILE --db DB` and `--restore-from FILE --db DB`: the actions
// an operator or the backup timer runs (store/online_backup does the work).

#include <string>

namespace lantern {

// 0 and a summary line on standard output; 1 and why on standard error.
int backup_to(const std::string& db_path, const std::string& file);
int restore_from(const std::string& file, const std::string& db_path);

}  // namespace lantern
