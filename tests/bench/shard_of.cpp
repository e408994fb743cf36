// Prints the shard of each recipient: `shard_of SHARDS RECIPIENT...`.
// Lets scripts pick recipients of a given shard with the same function the
// cluster uses.
#include <cstdlib>
#include <iostream>

#include "runtime/shard_hash.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: shard_of SHARDS RECIPIENT..." << std::endl;
    return 2;
  }
  auto shards = std::atoi(argv[1]);
  if (!mc::valid_shard_count(shards)) {
    std::cerr << "shard_of: SHARDS must be 1, 2, 4, 8, 16 or 32" << std::endl;
    return 2;
  }
  for (int i = 2; i < argc; ++i)
    std::cout << mc::shard_of(argv[i], shards) << '\n';
  return 0;
}
