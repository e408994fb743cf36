#pragma once

#include <memory>

#include "actors/sim/sim_directory.hpp"

namespace httplib {
class Server;
} // namespace httplib

namespace mc {

/// The simulator's contact routes on its query port:
/// - POST /contacts/non_users {"numbers":["16315550000",...]} -> {"ok":true}
///   (400 unless every number is a string): those numbers are not users.
/// - GET /contacts -> {"checks":N,"non_users":[...]}: numbers asked about
///   upstream since start, and the declared non-users.
void add_sim_contact_routes(httplib::Server& svr,
                            std::shared_ptr<sim_directory> directory);

} // namespace mc
