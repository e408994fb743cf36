#include "http/cloud_sim/cloud_graph_reply.hpp"

#include <httplib.h>

namespace mc {

void reply_graph_error(httplib::Response& res, const cloud_graph_error& e) {
  res.status = e.http_status;
  if (e.code == 190)
    res.set_header("WWW-Authenticate",
                   "OAuth \"Facebook Platform\" \"invalid_token\"");
  res.set_content(e.body(), "application/json");
}

void reply_graph_json(httplib::Response& res, const std::string& body) {
  res.status = 200;
  res.set_content(body, "application/json");
}

bool graph_authorized(cloud_sim_parts& parts, const httplib::Request& req,
                      httplib::Response& res) {
  parts.faults->delay();
  auto verdict = parts.token->check(req.get_header_value("Authorization"));
  if (verdict == cloud_token_verdict::ok)
    return true;
  auto e = cloud_graph_error::bad_token(verdict
                                        == cloud_token_verdict::expired);
  parts.ledger->count_refusal(e.code);
  reply_graph_error(res, e);
  return false;
}

} // namespace mc
