#pragma once
// `lantern-server --verify-audit --db FILE`: walks the events table's hash chain and says
// whether the audit trail is whole, or which row first breaks it.

#include <string>

namespace lantern {

// 0: the chain holds; 1: it is broken (the first broken row is printed); 2: it cannot be
// checked (no such file, or a schema without the chain).
int verify_audit(const std::string& db_path);

}  // namespace lantern
