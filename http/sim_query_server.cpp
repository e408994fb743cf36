#include "http/sim_query_server.hpp"
#include "http/sim_contact_routes.hpp"

#include "http/sim_rules_routes.hpp"

#include <chrono>
#include <cstdlib>
#include <limits>

#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "http/sim_inbound_request.hpp"
#include "http/sim_media_routes.hpp"

namespace mc {

namespace {

constexpr size_t default_log_limit = 100'000;
constexpr size_t max_log_limit = 1'000'000;
constexpr size_t default_messages_limit = 1'000;
constexpr size_t max_messages_limit = 100'000;

void reply_error(httplib::Response& res, int status, const std::string& why) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  w.StartObject();
  w.Key("error");
  w.String(why.c_str(), static_cast<rapidjson::SizeType>(why.size()));
  w.EndObject();
  res.status = status;
  res.set_content(buf.GetString(), buf.GetSize(), "application/json");
}

void reply_ok(httplib::Response& res) {
  res.status = 200;
  res.set_content("{\"ok\":true}", "application/json");
}

/// Parses a non-negative decimal query parameter; false if malformed.
bool parse_count(const httplib::Request& req, const char* name,
                 size_t fallback, size_t& out) {
  if (!req.has_param(name)) {
    out = fallback;
    return true;
  }
  auto text = req.get_param_value(name);
  if (text.empty() || text.size() > 18)
    return false;
  size_t x = 0;
  for (auto c : text) {
    if (c < '0' || c > '9')
      return false;
    x = x * 10 + static_cast<size_t>(c - '0');
  }
  out = x;
  return true;
}

/// Reads a non-negative int member; false if absent or not one.
bool get_ms(const rapidjson::Value& obj, const char* name, int& out) {
  auto i = obj.FindMember(name);
  if (i == obj.MemberEnd() || !i->value.IsInt64())
    return false;
  auto x = i->value.GetInt64();
  if (x < 0 || x > std::numeric_limits<int>::max())
    return false;
  out = static_cast<int>(x);
  return true;
}

std::string stats_json(const sim_stats& s) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  w.StartObject();
  w.Key("accepted");
  w.Uint64(s.accepted);
  w.Key("duplicates");
  w.Uint64(s.duplicates);
  w.Key("refused");
  w.Uint64(s.refused);
  w.Key("kicks");
  w.Uint64(s.kicks);
  w.Key("logins");
  w.Uint64(s.logins);
  w.Key("receipts");
  w.Uint64(s.receipts);
  w.Key("inbound");
  w.Uint64(s.inbound);
  w.Key("redelivered");
  w.Uint64(s.redelivered);
  w.Key("unacked");
  w.Uint64(s.unacked);
  w.Key("push_dropped");
  w.Uint64(s.push_dropped);
  w.Key("inbound_paused");
  w.Uint64(s.inbound_paused);
  w.Key("sessions");
  w.StartArray();
  for (auto& x : s.sessions) {
    w.StartObject();
    w.Key("account");
    w.String(x.account.c_str(),
             static_cast<rapidjson::SizeType>(x.account.size()));
    w.Key("shard");
    w.Int(x.shard);
    w.Key("epoch");
    w.Int64(x.epoch);
    w.Key("accepted");
    w.Uint64(x.accepted);
    w.Key("live");
    w.Bool(x.live);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string{buf.GetString(), buf.GetSize()};
}

void write_str(rapidjson::Writer<rapidjson::StringBuffer>& w, const char* key,
               const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

/// The records as {"messages":[...]}; the payload stays a string so a
/// reader can compare it byte for byte with what was sent.
std::string messages_json(const std::vector<sim_log_entry>& xs) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  w.StartObject();
  w.Key("messages");
  w.StartArray();
  for (auto& x : xs) {
    w.StartObject();
    w.Key("seq");
    w.Uint64(x.seq);
    write_str(w, "id", x.id);
    write_str(w, "recipient", x.recipient);
    write_str(w, "account", x.account);
    w.Key("shard");
    w.Int(x.shard);
    w.Key("epoch");
    w.Int64(x.epoch);
    write_str(w, "payload", x.payload);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string{buf.GetString(), buf.GetSize()};
}

/// {"total":N,"reads":[{"account","shard","epoch","message_id","sender"}]}.
std::string reads_json(const sim_read_log& log) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  w.StartObject();
  w.Key("total");
  w.Uint64(log.total());
  w.Key("reads");
  w.StartArray();
  for (auto& x : log.list()) {
    w.StartObject();
    write_str(w, "account", x.account);
    w.Key("shard");
    w.Int(x.shard);
    w.Key("epoch");
    w.Int64(x.epoch);
    write_str(w, "message_id", x.message_id);
    write_str(w, "sender", x.sender);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string{buf.GetString(), buf.GetSize()};
}

} // namespace

sim_query_server::sim_query_server(std::shared_ptr<sim_ledger> ledger,
                                   inject_fn inject_inbound,
                                   std::function<void()> on_fault)
  : ledger_(std::move(ledger)),
    inject_(std::move(inject_inbound)),
    on_fault_(std::move(on_fault)) {
  // Nothing else: the server object is created by start().
}

sim_query_server::~sim_query_server() {
  stop();
}

void sim_query_server::install_routes() {
  auto& svr = *server_;
  add_sim_contact_routes(svr, directory_ ? directory_
                                          : ledger_->rules().directory());
  svr.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  svr.Get("/stats", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(stats_json(ledger_->stats()), "application/json");
  });
  svr.Get("/log", [this](const httplib::Request& req, httplib::Response& res) {
    size_t from = 0;
    size_t limit = 0;
    if (!parse_count(req, "from", 0, from)
        || !parse_count(req, "limit", default_log_limit, limit)) {
      reply_error(res, 400, "from and limit must be non-negative integers");
      return;
    }
    limit = std::min(limit, max_log_limit);
    res.set_content(ledger_->log_text(from, limit), "text/plain");
  });
  // The code a registration sent (a real number gets it by SMS or voice).
  svr.Get("/account/code", [this](const httplib::Request& req,
                                  httplib::Response& res) {
    auto account = req.get_param_value("account");
    auto code = ledger_->registrations().pending_code(account);
    if (!code) {
      res.status = 404;
      res.set_content(R"({"error":"no code pending for this account"})",
                      "application/json");
      return;
    }
    res.set_content("{\"account\":\"" + account + "\",\"code\":\"" + *code
                      + "\"}",
                    "application/json");
  });
  svr.Get("/messages", [this](const httplib::Request& req,
                              httplib::Response& res) {
    size_t from = 0;
    size_t limit = 0;
    if (!parse_count(req, "from", 0, from)
        || !parse_count(req, "limit", default_messages_limit, limit)) {
      reply_error(res, 400, "from and limit must be non-negative integers");
      return;
    }
    limit = std::min(limit, max_messages_limit);
    res.set_content(messages_json(ledger_->entries(from, limit)),
                    "application/json");
  });
  sim_rules_routes::install(svr, ledger_->rules());
  svr.Post("/reset", [this](const httplib::Request&, httplib::Response& res) {
    ledger_->reset();
    reply_ok(res);
  });
  svr.Post("/fault", [this](const httplib::Request& req,
                            httplib::Response& res) {
    rapidjson::Document doc;
    doc.Parse(req.body.c_str(), req.body.size());
    if (doc.HasParseError() || !doc.IsObject()) {
      reply_error(res, 400, "body must be a JSON object");
      return;
    }
    // Validate everything before applying anything.
    bool drop = false;
    int refuse_ms = -1;
    int latency_ms = -1;
    size_t known = 0;
    if (auto i = doc.FindMember("drop_sessions"); i != doc.MemberEnd()) {
      if (!i->value.IsBool()) {
        reply_error(res, 400, "drop_sessions must be a boolean");
        return;
      }
      drop = i->value.GetBool();
      ++known;
    }
    if (doc.HasMember("refuse_logins_ms")) {
      if (!get_ms(doc, "refuse_logins_ms", refuse_ms)) {
        reply_error(res, 400, "refuse_logins_ms must be an integer >= 0");
        return;
      }
      ++known;
    }
    if (doc.HasMember("extra_latency_ms")) {
      if (!get_ms(doc, "extra_latency_ms", latency_ms)) {
        reply_error(res, 400, "extra_latency_ms must be an integer >= 0");
        return;
      }
      ++known;
    }
    if (known == 0 || known != doc.MemberCount()) {
      reply_error(res, 400,
                  "expected drop_sessions, refuse_logins_ms or "
                  "extra_latency_ms");
      return;
    }
    if (drop)
      ledger_->request_drop_sessions();
    if (refuse_ms >= 0)
      ledger_->request_refuse_logins(refuse_ms);
    if (latency_ms >= 0)
      ledger_->set_extra_latency_ms(latency_ms);
    if (on_fault_)
      on_fault_();
    reply_ok(res);
  });
  svr.Post("/inbound", [this](const httplib::Request& req,
                              httplib::Response& res) {
    auto parsed = parse_sim_inbound(req.body);
    if (auto why = std::get_if<std::string>(&parsed)) {
      reply_error(res, 400, *why);
      return;
    }
    if (!inject_) {
      reply_error(res, 503, "inbound injection not wired");
      return;
    }
    auto& r = std::get<sim_inbound_request>(parsed);
    inject_(std::move(r.msg), std::move(r.account));
    reply_ok(res);
  });
  svr.Get("/reads", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(reads_json(ledger_->reads()), "application/json");
  });
}

bool sim_query_server::start(const std::string& host, uint16_t port) {
  if (server_)
    return false;
  server_ = std::make_unique<httplib::Server>();
  server_->set_tcp_nodelay(true);
  server_->set_keep_alive_max_count(1000);
  install_routes();
  if (media_)
    add_sim_media_routes(*server_, media_);
  int bound = 0;
  if (port == 0) {
    bound = server_->bind_to_any_port(host);
  } else if (server_->bind_to_port(host, port)) {
    bound = port;
  }
  if (bound <= 0) {
    server_.reset();
    return false;
  }
  port_ = static_cast<uint16_t>(bound);
  auto* svr = server_.get();
  thread_ = std::thread{[svr] { svr->listen_after_bind(); }};
  // stop() is a no-op until the listen loop runs; wait for it (bounded) so
  // a quick stop() cannot leave the thread blocked in accept.
  for (int i = 0; i < 2000 && !svr->is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
  return true;
}

void sim_query_server::stop() {
  if (!server_)
    return;
  server_->stop();
  if (thread_.joinable())
    thread_.join();
  server_.reset();
  port_ = 0;
}

} // namespace mc
