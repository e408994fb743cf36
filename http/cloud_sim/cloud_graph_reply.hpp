#pragma once

/// Answers shared by the simulator's Graph API routes.

#include <string>

#include "http/cloud_sim/cloud_graph_error.hpp"
#include "http/cloud_sim/cloud_sim_parts.hpp"

namespace httplib {
struct Request;
struct Response;
} // namespace httplib

namespace mc {

/// Writes `e` as the answer.
void reply_graph_error(httplib::Response& res, const cloud_graph_error& e);

/// Writes a 200 JSON answer.
void reply_graph_json(httplib::Response& res, const std::string& body);

/// Applies the latency fault, then checks the Bearer token; false (and a
/// 190 answer written) when it is missing, wrong or expired.
bool graph_authorized(cloud_sim_parts& parts, const httplib::Request& req,
                      httplib::Response& res);

} // namespace mc
