#include "http/cloud_sim/cloud_message_route.hpp"

#include <chrono>

#include <httplib.h>

#include "http/cloud_sim/cloud_graph_reply.hpp"
#include "http/cloud_sim/cloud_send_request.hpp"
#include "http/cloud_sim/cloud_status_events.hpp"
#include "runtime/json_util.hpp"

namespace mc {

namespace {

std::string send_answer(const cloud_send& s, const std::string& wamid) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_member(w, "messaging_product", "whatsapp");
  w.Key("contacts");
  w.StartArray();
  w.StartObject();
  write_member(w, "input", s.input);
  write_member(w, s.by_user_id ? "user_id" : "wa_id", s.recipient);
  w.EndObject();
  w.EndArray();
  w.Key("messages");
  w.StartArray();
  w.StartObject();
  write_member(w, "id", wamid);
  if (s.type == "template")
    write_member(w, "message_status", "accepted");
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

/// The checks after parsing; an error, or the pricing category.
std::variant<cloud_graph_error, std::string>
check_send(cloud_sim_parts& parts, const cloud_send& s) {
  std::string category = "service";
  if (!s.media_id.empty() && !parts.media->get(s.media_id))
    return cloud_graph_error::invalid_value(
      "Invalid media id " + s.media_id + ": no media uploaded with this id");
  if (s.type == "template") {
    auto t = parts.templates->find(s.template_name, s.template_language);
    if (!t)
      return cloud_graph_error::template_missing(s.template_name,
                                                 s.template_language);
    category = t->category;
  }
  if (auto fault = parts.faults->take_send_failure())
    return *fault;
  switch (parts.limits->admit(s.recipient)) {
    case cloud_limit_verdict::throughput:
      return cloud_graph_error::throughput();
    case cloud_limit_verdict::pair:
      return cloud_graph_error::pair_rate();
    case cloud_limit_verdict::ok:
      break;
  }
  return category;
}

void handle_send(cloud_sim_parts& parts, const httplib::Request& req,
                 httplib::Response& res, const cloud_send& s) {
  parts.ledger->count_send();
  auto checked = check_send(parts, s);
  if (auto e = std::get_if<cloud_graph_error>(&checked)) {
    parts.ledger->count_refusal(e->code);
    return reply_graph_error(res, *e);
  }
  auto& category = std::get<std::string>(checked);
  // The wamid exists only once the statuses have room: a full queue is an
  // overloaded server, and the send is not taken.
  cloud_sent_message m;
  m.wamid = cloud_sim_ledger::make_wamid(s.recipient);
  m.recipient = s.recipient;
  m.by_user_id = s.by_user_id;
  m.type = s.type;
  m.body = req.body;
  m.timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
  auto events = cloud_status_events(m, category, parts.cfg.delivered_ms,
                                    parts.cfg.read_ms);
  if (!parts.webhooks->submit(std::move(events))) {
    auto e = cloud_graph_error::overloaded();
    parts.ledger->count_refusal(e.code);
    return reply_graph_error(res, e);
  }
  auto wamid = m.wamid;
  parts.ledger->record_send(std::move(m), s.content_key);
  reply_graph_json(res, send_answer(s, wamid));
}

} // namespace

void add_cloud_message_route(httplib::Server& srv, cloud_sim_parts& parts) {
  srv.Post(R"(/(v\d+\.\d+)/([^/]+)/messages)",
           [&parts](const httplib::Request& req, httplib::Response& res) {
             if (!graph_authorized(parts, req, res))
               return;
             auto number = req.matches[2].str();
             if (number != parts.cfg.phone_number_id) {
               auto e = cloud_graph_error::unknown_object(number, "post");
               parts.ledger->count_refusal(e.code);
               return reply_graph_error(res, e);
             }
             auto parsed = parse_cloud_send(req.body);
             if (auto e = std::get_if<cloud_graph_error>(&parsed)) {
               parts.ledger->count_send();
               parts.ledger->count_refusal(e->code);
               return reply_graph_error(res, *e);
             }
             if (auto r = std::get_if<cloud_mark_read>(&parsed)) {
               if (!parts.ledger->knows_message(r->message_id)) {
                 auto e = cloud_graph_error::invalid_parameter(
                   "Invalid message_id " + clip(r->message_id));
                 parts.ledger->count_refusal(e.code);
                 return reply_graph_error(res, e);
               }
               parts.ledger->record_read(r->message_id);
               return reply_graph_json(res, R"({"success":true})");
             }
             handle_send(parts, req, res, std::get<cloud_send>(parsed));
           });
}

} // namespace mc
