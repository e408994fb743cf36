#pragma once

#include <httplib.h>

namespace mc::http {

struct webapp_context;

/// POST /v1/contacts (http/contact_routes.cpp).
void add_contact_routes(httplib::Server& srv, webapp_context& ctx);

} // namespace mc::http
