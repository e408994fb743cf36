#include "http/cloud_sim/cloud_sim_query.hpp"

#include <chrono>
#include <limits>

#include <httplib.h>

#include "http/cloud_sim/cloud_sim_query_json.hpp"
#include "runtime/json_util.hpp"

namespace mc {

namespace {

constexpr size_t default_limit = 1000;
constexpr size_t max_limit = 100000;

void reply_error(httplib::Response& res, int status, const std::string& why) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_member(w, "error", why);
  w.EndObject();
  res.status = status;
  res.set_content(buf.GetString(), buf.GetSize(), "application/json");
}

void reply(httplib::Response& res, const std::string& json) {
  res.set_content(json, "application/json");
}

/// A non-negative integer query parameter; nullopt if malformed.
std::optional<size_t> count_param(const httplib::Request& req,
                                  const char* name, size_t fallback) {
  if (!req.has_param(name))
    return fallback;
  auto text = req.get_param_value(name);
  if (text.empty() || text.size() > 12)
    return std::nullopt;
  size_t x = 0;
  for (auto c : text) {
    if (c < '0' || c > '9')
      return std::nullopt;
    x = x * 10 + static_cast<size_t>(c - '0');
  }
  return x;
}

/// An int member in [lo, hi]; `why` set when present and wrong.
int int_member(const rapidjson::Value& obj, const char* name, int fallback,
               int lo, int hi, std::string& why) {
  auto i = obj.FindMember(name);
  if (i == obj.MemberEnd())
    return fallback;
  if (!i->value.IsInt() || i->value.GetInt() < lo || i->value.GetInt() > hi) {
    why = std::string{name} + " must be an integer in [" + std::to_string(lo)
          + ", " + std::to_string(hi) + "]";
    return fallback;
  }
  return i->value.GetInt();
}

/// Parses and applies POST /fault; an error text or empty.
std::string apply_fault(cloud_sim_parts& parts, const std::string& body) {
  rapidjson::Document doc;
  std::string why;
  if (!parse_json_object(body, doc, why))
    return why;
  if (doc.MemberCount() == 0)
    return "expected fail_sends, latency_ms, token or webhooks";
  for (auto& m : doc.GetObject()) {
    auto k = as_view(m.name);
    if (k != "fail_sends" && k != "latency_ms" && k != "token"
        && k != "webhooks")
      return "unknown fault " + clip(k);
  }
  // Everything is checked before anything is applied.
  std::optional<std::pair<int, cloud_graph_error>> fail;
  if (auto f = doc.FindMember("fail_sends"); f != doc.MemberEnd()) {
    if (!f->value.IsObject())
      return "fail_sends must be an object";
    auto count = int_member(f->value, "count", -1, 0, 1000000, why);
    if (count < 0 && why.empty())
      why = "fail_sends.count is required";
    auto status = int_member(f->value, "http_status", 500, 400, 599, why);
    auto code = int_member(f->value, "code", 131000, 0,
                           std::numeric_limits<int>::max(), why);
    if (!why.empty())
      return why;
    std::string details = "Injected failure";
    if (auto d = f->value.FindMember("details");
        d != f->value.MemberEnd() && d->value.IsString())
      details = std::string{as_view(d->value)};
    fail.emplace(count, cloud_graph_error::injected(status, code, details));
  }
  auto latency = int_member(doc, "latency_ms", -1, 0, 600000, why);
  if (!why.empty())
    return why;
  std::string token;
  if (auto t = doc.FindMember("token"); t != doc.MemberEnd()) {
    token = t->value.IsString() ? std::string{as_view(t->value)} : "";
    if (token != "expire" && token != "restore")
      return "token must be \"expire\" or \"restore\"";
  }
  std::optional<cloud_webhook_mode> mode;
  if (auto h = doc.FindMember("webhooks"); h != doc.MemberEnd()) {
    auto text = h->value.IsString() ? as_view(h->value) : "";
    if (text == "normal")
      mode = cloud_webhook_mode::normal;
    else if (text == "refuse")
      mode = cloud_webhook_mode::refuse;
    else if (text == "pause")
      mode = cloud_webhook_mode::pause;
    else
      return "webhooks must be \"normal\", \"refuse\" or \"pause\"";
  }
  if (fail)
    parts.faults->fail_sends(fail->first, fail->second);
  if (latency >= 0)
    parts.faults->set_latency_ms(latency);
  if (token == "expire")
    parts.token->expire();
  else if (token == "restore")
    parts.token->restore();
  if (mode)
    parts.faults->set_webhook_mode(*mode);
  return {};
}

/// Parses and applies POST /templates; an error text or empty.
std::string add_template(cloud_sim_parts& parts, const std::string& body) {
  rapidjson::Document doc;
  std::string why;
  if (!parse_json_object(body, doc, why))
    return why;
  cloud_template t;
  for (auto [key, out] : {std::pair{"name", &t.name},
                          std::pair{"language", &t.language},
                          std::pair{"category", &t.category}}) {
    auto i = doc.FindMember(key);
    if (i == doc.MemberEnd())
      continue;
    if (!i->value.IsString())
      return std::string{key} + " must be a string";
    *out = std::string{as_view(i->value)};
  }
  if (t.name.empty())
    return "name is required";
  parts.templates->add(std::move(t));
  return {};
}

} // namespace

cloud_sim_query::cloud_sim_query(cloud_sim_parts parts)
  : parts_(std::move(parts)) {
  // Nothing else: start() creates the server.
}

cloud_sim_query::~cloud_sim_query() {
  stop();
}

void cloud_sim_query::install_routes() {
  auto& svr = *server_;
  auto& parts = parts_;
  svr.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  svr.Get("/stats", [&parts](const httplib::Request&, httplib::Response& res) {
    reply(res, cloud_stats_json(parts));
  });
  svr.Get("/messages", [&parts](const httplib::Request& req,
                                httplib::Response& res) {
    auto from = count_param(req, "from", 0);
    auto limit = count_param(req, "limit", default_limit);
    if (!from || !limit)
      return reply_error(res, 400, "from and limit must be integers >= 0");
    auto xs = parts.ledger->list(*from, std::min(*limit, max_limit),
                                 req.get_param_value("recipient"));
    reply(res, cloud_messages_json(xs));
  });
  // A wamid is base64 and may hold '/'.
  svr.Get(R"(/messages/(.+))", [&parts](const httplib::Request& req,
                                           httplib::Response& res) {
    auto m = parts.ledger->find(req.matches[1].str());
    if (!m)
      return reply_error(res, 404, "no such message");
    reply(res, cloud_message_json(*m));
  });
  svr.Get("/reads", [&parts](const httplib::Request&, httplib::Response& res) {
    reply(res, cloud_reads_json(*parts.ledger));
  });
  svr.Get("/webhooks", [&parts](const httplib::Request&,
                                httplib::Response& res) {
    reply(res, cloud_webhooks_json(*parts.webhooks));
  });
  svr.Get("/templates", [&parts](const httplib::Request&,
                                 httplib::Response& res) {
    reply(res, cloud_templates_json(*parts.templates));
  });
  install_control_routes();
}

void cloud_sim_query::install_control_routes() {
  auto& svr = *server_;
  auto& parts = parts_;
  auto ok = [](httplib::Response& res) {
    reply(res, R"({"ok":true})");
  };
  svr.Post("/webhooks/verify", [&parts](const httplib::Request&,
                                        httplib::Response& res) {
    reply(res, cloud_verification_json(parts.webhooks->verify()));
  });
  svr.Post("/templates", [&parts, ok](const httplib::Request& req,
                                      httplib::Response& res) {
    if (auto why = add_template(parts, req.body); !why.empty())
      return reply_error(res, 400, why);
    ok(res);
  });
  svr.Delete("/templates", [&parts, ok](const httplib::Request&,
                                        httplib::Response& res) {
    parts.templates->clear();
    ok(res);
  });
  svr.Post("/fault", [&parts, ok](const httplib::Request& req,
                                  httplib::Response& res) {
    if (auto why = apply_fault(parts, req.body); !why.empty())
      return reply_error(res, 400, why);
    ok(res);
  });
  svr.Post("/inbound", [&parts](const httplib::Request& req,
                                httplib::Response& res) {
    auto r = parts.inbound->inject(req.body);
    if (auto refused = std::get_if<cloud_inbound_refusal>(&r))
      return reply_error(res, refused->status, refused->why);
    reply(res, "{\"ok\":true,\"id\":\"" + std::get<std::string>(r) + "\"}");
  });
  svr.Post("/reset", [&parts, ok](const httplib::Request&,
                                  httplib::Response& res) {
    parts.reset();
    ok(res);
  });
}

bool cloud_sim_query::start(const std::string& host, uint16_t port) {
  if (server_)
    return false;
  server_ = std::make_unique<httplib::Server>();
  server_->set_tcp_nodelay(true);
  server_->set_keep_alive_max_count(1000);
  install_routes();
  int bound = 0;
  if (port == 0)
    bound = server_->bind_to_any_port(host);
  else if (server_->bind_to_port(host, port))
    bound = port;
  if (bound <= 0) {
    server_.reset();
    return false;
  }
  port_ = static_cast<uint16_t>(bound);
  auto* svr = server_.get();
  thread_ = std::thread{[svr] { svr->listen_after_bind(); }};
  for (int i = 0; i < 2000 && !svr->is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
  return true;
}

void cloud_sim_query::stop() {
  if (!server_)
    return;
  server_->stop();
  if (thread_.joinable())
    thread_.join();
  server_.reset();
  port_ = 0;
}

} // namespace mc
