#include "runtime/roles/node_main.hpp"

#include <iostream>

#include "runtime/db_pool.hpp"
#include "runtime/log.hpp"
#include "runtime/roles/node_runtime.hpp"
#include "runtime/roles/tls_files.hpp"

namespace mc {

int run_node(const options& opts) {
  install_signal_handlers();
  // The Cloud API simulator has no database, no cluster and no CAF links.
  if (opts.role == role::cloud_sim) {
    try {
      return run_cloud_sim(opts);
    } catch (const std::exception& e) {
      std::cerr << "multiconnect: " << e.what() << std::endl;
      return 1;
    }
  }
  if (auto err = check_database(opts.db_uri); !err.empty()) {
    std::cerr << "multiconnect: cannot reach the database: " << err
              << std::endl;
    return 1;
  }
  if (auto err = check_tls_files(opts); !err.empty()) {
    std::cerr << "multiconnect: " << err << std::endl;
    return 1;
  }
  if (!opts.tls())
    log_info(opts.node_id,
             "warning: CAF links are plain (no --tls-cert/--tls-key/--tls-ca):"
             " any process that reaches the CAF port can talk to this node");
  try {
    switch (opts.role) {
      case role::master:
        return run_master(opts);
      case role::coreapp:
        return run_coreapp(opts);
      case role::webapp:
        return run_webapp(opts);
      case role::upstream_sim:
        return run_upstream_sim(opts);
      case role::cloud_sim:
        return run_cloud_sim(opts);
    }
  } catch (const std::exception& e) {
    std::cerr << "multiconnect: " << e.what() << std::endl;
    return 1;
  }
  return 1;
}

} // namespace mc
