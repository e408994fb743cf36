#pragma once

#include "runtime/options.hpp"

namespace mc {

/// Runs a node in its role until SIGINT or SIGTERM; returns the exit code.
int run_node(const options& opts);

} // namespace mc
