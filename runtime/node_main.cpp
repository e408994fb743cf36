#include "runtime/node_main.hpp"

#include <iostream>

namespace mc {

int run_node(const options& opts) {
  std::cerr << "multiconnect: role " << to_string(opts.role)
            << " not implemented yet" << std::endl;
  return 1;
}

} // namespace mc
