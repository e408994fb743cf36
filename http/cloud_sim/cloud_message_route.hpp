#pragma once

/// POST /{version}/{phone-number-id}/messages of the simulator: sends and
/// mark-as-read, in the order the real API checks them: token, number,
/// body, injected faults, throughput, pair rate, webhook queue room.

#include "http/cloud_sim/cloud_sim_parts.hpp"

namespace httplib {
class Server;
} // namespace httplib

namespace mc {

void add_cloud_message_route(httplib::Server& srv, cloud_sim_parts& parts);

} // namespace mc
