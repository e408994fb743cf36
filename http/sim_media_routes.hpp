#pragma once

/// The simulator's media on its query port (see sim_query_server):
/// - GET /media/{id} -> {"id","account","mime_type","sha256","size",
///   "uploads"}, 404 when it holds none: what a coreapp uploaded;
/// - GET /media/{id}/bytes -> the bytes with their Content-Type;
/// - POST /media?account=A[&id=X] (body: the bytes, with their
///   Content-Type) -> {"id"}: a media a simulated user sends, for coreapps
///   to download (id "sim-media-N" unless given).

#include <memory>

#include <httplib.h>

#include "actors/sim/sim_media.hpp"

namespace mc {

/// Adds the routes above to `srv`, serving `media`.
void add_sim_media_routes(httplib::Server& srv,
                          std::shared_ptr<sim_media> media);

} // namespace mc
