#pragma once
// An administrator's change to one record (create, update, deactivate, or a plan review),
// checked against what is stored and written with its before-and-after audit event.
// Runs on the journal's thread, inside its transaction.

#include "centre/record_change.hpp"
#include "store/centre_store.hpp"

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <optional>
#include <string>

namespace lantern {

// Writes nothing unless the result is `done`; throws only on a database error.
change_result apply_change(SQLite::Database& db, const record_change& change);

}  // namespace lantern
