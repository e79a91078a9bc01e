#pragma once
// The centre file (format "lantern.centre.v1"): operators, carers, and persons with their
// plans and devices, as JSON. Read by centre_parser; written here. Documented field by
// field in deploy/CENTRE-FILE.md.

#include "centre/centre.hpp"
#include "centre/centre_parser.hpp"
#include "centre/field_formats.hpp"

#include <string>

namespace lantern {

// The whole centre as a centre file, records in id order. Secrets go out as their hashes
// (`password_hash`, `token_hash`), so the file imports back to the same centre and is as
// secret as the database.
std::string write_centre_file(const centre& records);

}  // namespace lantern
