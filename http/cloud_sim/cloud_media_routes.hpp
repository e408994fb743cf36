#pragma once

/// The simulator's media routes: upload (multipart), URL retrieval, the
/// download the URL names, and delete.

#include <string>

#include "http/cloud_sim/cloud_sim_parts.hpp"

namespace httplib {
class Server;
} // namespace httplib

namespace mc {

/// `scheme` ("http" or "https") and the request's Host make the URL.
void add_cloud_media_routes(httplib::Server& srv, cloud_sim_parts& parts,
                            std::string scheme);

} // namespace mc
