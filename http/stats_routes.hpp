#pragma once

#include <httplib.h>

namespace mc::http {

struct webapp_context;

/// GET /v1/stats/app, /v1/stats/app/internal, /v1/stats/db and
/// /v1/stats/db/internal (http/stats_routes.cpp).
void add_stats_routes(httplib::Server& srv, webapp_context& ctx);

} // namespace mc::http
