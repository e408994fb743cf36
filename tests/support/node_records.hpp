#pragma once

#include <string>

#include "runtime/store/node_registry.hpp"

namespace mc::test {

/// A coreapp's `nodes` row as a test registers it: loopback, `caf_port`,
/// `pid`, version "test".
inline node_record coreapp_record(const std::string& id, node_state state,
                                  int caf_port = 1, int pid = 1) {
  node_record n;
  n.node_id = id;
  n.role = role::coreapp;
  n.host = "127.0.0.1";
  n.caf_port = caf_port;
  n.pid = pid;
  n.version = "test";
  n.state = state;
  return n;
}

} // namespace mc::test
