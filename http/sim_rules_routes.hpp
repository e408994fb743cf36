#pragma once

#include "actors/sim/sim_rules.hpp"

namespace httplib {
class Server;
} // namespace httplib

namespace mc {

/// The simulator's query routes that configure what its servers check
/// (actors/sim/sim_rules.hpp):
/// - POST /templates {"namespace","name","languages":["en",...],
///   "params":{"header":N,"body":N,"button":N}} -> {"ok":true}: registers
///   the template (missing counts are 0); 400 on bad input
/// - POST /rules {"bad_link_hosts":["host",...],"non_users":["digits",...]}
///   -> {"ok":true}: replaces the lists given
class sim_rules_routes {
public:
  static void install(httplib::Server& srv, sim_rules& rules);
};

} // namespace mc
