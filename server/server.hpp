#pragma once
// Wires the parts together: store, journal, core (the desk on its strand), device gateway and
// console web server, on one io_context; runs until SIGINT or SIGTERM.

#include "server_options.hpp"

namespace lantern {

// Returns the process exit code.
int run_server(const server_options& options);

}  // namespace lantern
