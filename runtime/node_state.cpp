#include "runtime/node_state.hpp"

namespace mc {

namespace {

constexpr node_state all_states[] = {
  node_state::starting, node_state::standby,   node_state::active,   node_state::busy,
  node_state::serving,  node_state::primary,   node_state::secondary,
  node_state::stopped,
};

} // namespace

const char* to_string(node_state s) {
  switch (s) {
    case node_state::starting: return "starting";
    case node_state::standby: return "standby";
    case node_state::active: return "active";
    case node_state::busy: return "busy";
    case node_state::serving: return "serving";
    case node_state::primary: return "primary";
    case node_state::secondary: return "secondary";
    case node_state::stopped: return "stopped";
  }
  return "?";
}

std::optional<node_state> node_state_from_string(const std::string& text) {
  for (auto s : all_states)
    if (text == to_string(s))
      return s;
  return std::nullopt;
}

} // namespace mc
