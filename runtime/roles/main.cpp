#include <iostream>

#include "runtime/roles/node_main.hpp"
#include "runtime/options.hpp"

int main(int argc, char** argv) {
  auto parsed = mc::parse_options(argc, argv);
  if (!parsed.opts) {
    (parsed.exit_code == 0 ? std::cout : std::cerr) << parsed.message
                                                    << std::endl;
    return parsed.exit_code;
  }
  return mc::run_node(*parsed.opts);
}
