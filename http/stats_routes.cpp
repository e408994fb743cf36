/// GET /v1/stats/app[/internal] and /v1/stats/db[/internal] in the
/// On-Prem shape (https://developers.facebook.com/docs/whatsapp/api/stats/,
/// https://developers.secure.facebook.com/docs/whatsapp/api/stats/db):
/// JSON `{"stats":{"app"|"db":{"<host>:<node>":{<family>...}}},"meta":...}`
/// keyed per node as in a multiconnect cluster, or with
/// `?format=prometheus` the same families as Prometheus text with a
/// `node` label. App stats are each coreapp's in-memory counters, asked
/// over CAF (actors/protocol/stats.hpp), plus its callback queue from
/// PostgreSQL; DB stats are filled on the primary master's entry only, the
/// other nodes' entries are `{}`, as the reference shows for multiconnect.

#include "http/stats_routes.hpp"

#include <map>

#include <caf/all.hpp>
#include <pqxx/pqxx>

#include "actors/protocol/stats.hpp"
#include "http/metrics_format.hpp"
#include "http/route.hpp"
#include "http/webapp_context.hpp"
#include "runtime/store/contacts_store.hpp"
#include "runtime/store/db_stats_store.hpp"
#include "runtime/store/master_lease.hpp"
#include "runtime/store/node_registry.hpp"

namespace mc::http {

namespace {

/// How long a webapp waits for one coreapp's counters.
constexpr auto node_stats_timeout = std::chrono::seconds{2};

/// The contacts cache keeps answers 7 days (schema/007_contacts.sql).
constexpr auto contacts_max_age = std::chrono::hours{24 * 7};

/// The type and help of each app figure a coreapp reports.
struct figure_info {
  const char* type;
  const char* help;
};

const std::map<std::string, figure_info>& app_figures() {
  static const std::map<std::string, figure_info> table{
    {"callback_requests", {"counter", "Total number of callback requests made"}},
    {"messages_committed",
     {"counter", "Total number of messages accepted (committed) by the node"}},
    {"messages_acked",
     {"counter", "Total number of messages acknowledged by the upstream"}},
    {"contacts_checked",
     {"counter", "Total number of contacts checked with the upstream"}},
    {"shards_served", {"gauge", "Number of shards the node serves"}},
  };
  return table;
}

/// The samples of a node as families, in the order they came.
metric_families to_families(const stat_samples& xs) {
  metric_families out;
  std::map<std::string, size_t> at;
  for (auto& x : xs) {
    auto i = at.find(x.name);
    if (i == at.end()) {
      auto info = app_figures().count(x.name) ? app_figures().at(x.name)
                                              : figure_info{"gauge", ""};
      i = at.emplace(x.name, out.size()).first;
      out.push_back({x.name, info.type, info.help, {}});
    }
    metric_sample s;
    for (size_t k = 0; k + 1 < x.labels.size(); k += 2)
      s.labels.emplace_back(x.labels[k], x.labels[k + 1]);
    s.value = static_cast<double>(x.value);
    out[i->second].samples.push_back(std::move(s));
  }
  return out;
}

/// Families per node key ("host:node"), in node order.
using node_families = std::vector<std::pair<std::string, metric_families>>;

/// The coreapps that own shards, from the routing table: their actors
/// and their shards.
struct owners {
  std::map<std::string, caf::actor> nodes;
  std::map<std::string, std::vector<int32_t>> shards;
};

owners shard_owners(webapp_context& ctx) {
  owners out;
  for (int32_t s = 0; s < ctx.routes->shards(); ++s)
    if (auto r = ctx.routes->route(s); r && r->node) {
      out.nodes.emplace(r->owner, r->node);
      out.shards[r->owner].push_back(s);
    }
  return out;
}

/// The counters of each node in `owners` that answers in time.
std::map<std::string, stat_samples>
ask_nodes(webapp_context& ctx, const std::map<std::string, caf::actor>& owners) {
  std::map<std::string, stat_samples> out;
  caf::scoped_actor self{*ctx.sys};
  for (auto& [id, node] : owners)
    self
      ->request(caf::actor_cast<stats_actor>(node), node_stats_timeout,
                app_stats_atom::value)
      .receive([&](std::string& node_id,
                   stat_samples& xs) { out[node_id] = std::move(xs); },
               [&](caf::error&) {
                 // Unreachable or moving: its entry stays empty.
               });
  return out;
}

struct db_snapshot {
  std::vector<node_record> nodes;
  lease_state lease;
  std::map<std::string, int64_t> callbacks_by_owner;
};

db_snapshot load_snapshot(webapp_context& ctx) {
  auto unhealthy = std::chrono::milliseconds{static_cast<int64_t>(
    ctx.settings->get().unhealthy_interval * 1000)};
  return ctx.db->with([&](pqxx::connection& c) {
    return db_snapshot{list_nodes(c, unhealthy), read_lease(c),
                       callbacks_by_owner(c)};
  });
}

std::string key_of(const node_record& n) {
  return n.host + ":" + n.node_id;
}

void reply_stats(const httplib::Request& req, httplib::Response& res,
                 const char* section,
                 const node_families& by_node) {
  if (wants_prometheus(req.get_param_value("format"))) {
    metric_families all;
    for (auto& [key, fams] : by_node)
      append_labelled(all, fams, {"node", key});
    res.status = 200;
    res.set_content(prometheus_text(all), "text/plain; version=0.0.4");
    return;
  }
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  w.Key("stats");
  w.StartObject();
  w.Key(section);
  w.StartObject();
  for (auto& [key, fams] : by_node) {
    w.Key(key.c_str());
    w.StartObject();
    write_families_json(w, fams);
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
  write_meta(w);
  w.EndObject();
  reply_json(res, 200, {buf.GetString(), buf.GetSize()});
}

/// The internal view of a node's shards: pending messages and callbacks
/// per shard it owns.
void add_shard_families(metric_families& fams, const db_figures& figures,
                        const std::vector<int32_t>& shards) {
  metric_family msgs{"pending_messages", "gauge",
                     "Accepted messages not yet acknowledged upstream, by shard",
                     {}};
  metric_family cbs{"pending_callbacks", "gauge",
                    "Callbacks not yet delivered to the webhook, by shard", {}};
  for (auto s : shards) {
    auto i = figures.pending_by_shard.find(s);
    auto m = i == figures.pending_by_shard.end() ? 0 : i->second.first;
    auto c = i == figures.pending_by_shard.end() ? 0 : i->second.second;
    msgs.samples.push_back({{{"shard", std::to_string(s)}},
                            static_cast<double>(m)});
    cbs.samples.push_back({{{"shard", std::to_string(s)}},
                           static_cast<double>(c)});
  }
  fams.push_back(std::move(msgs));
  fams.push_back(std::move(cbs));
}

/// Per coreapp: its callback queue (PostgreSQL) and counters (asked over
/// CAF); `{}` for a standby or a node that did not answer.
node_families app_families(webapp_context& ctx, bool internal) {
  auto snap = load_snapshot(ctx);
  auto own = shard_owners(ctx);
  auto answers = ask_nodes(ctx, own.nodes);
  db_figures figures;
  if (internal)
    figures = ctx.db->with([](pqxx::connection& c) {
      return load_db_figures(c);
    });
  node_families out;
  for (auto& n : snap.nodes) {
    if (n.role != role::coreapp)
      continue;
    metric_families fams;
    auto answer = answers.find(n.node_id);
    if (answer != answers.end()) {
      auto q = snap.callbacks_by_owner.find(n.node_id);
      auto queued = q == snap.callbacks_by_owner.end() ? 0 : q->second;
      fams.push_back({"callback_queue_size", "gauge",
                      "Current callback queue size",
                      {{{}, static_cast<double>(queued)}}});
      for (auto& f : to_families(answer->second))
        fams.push_back(std::move(f));
      if (internal)
        add_shard_families(fams, figures, own.shards[n.node_id]);
    }
    out.emplace_back(key_of(n), std::move(fams));
  }
  return out;
}

/// The database figures on the primary master's entry, `{}` on the other
/// nodes'.
node_families db_families(webapp_context& ctx, bool internal) {
  auto snap = load_snapshot(ctx);
  struct loaded {
    db_figures figures;
    contact_counts contacts;
  };
  auto l = ctx.db->with([](pqxx::connection& c) {
    return loaded{load_db_figures(c), count_contacts(c, contacts_max_age)};
  });
  auto& f = l.figures;
  auto one = [](double v) { return std::vector<metric_sample>{{{}, v}}; };
  metric_families fams{
    {"db_contacts", "gauge", "Current number of contacts in DB",
     {{{{"type", "non_whatsapp_user"}}, static_cast<double>(l.contacts.non_users)},
      {{{"type", "whatsapp_user"}}, static_cast<double>(l.contacts.users)}}},
    {"db_message_receipts", "gauge", "Current number of message receipts in DB",
     one(static_cast<double>(f.message_receipts))},
    {"db_messages", "gauge", "Current number of messages in DB",
     {{{{"type", "outgoing"}}, static_cast<double>(f.messages)}}},
    {"db_pending_callbacks", "gauge", "Current number of pending callbacks in DB",
     one(static_cast<double>(f.pending_callbacks))},
    {"db_pending_messages", "gauge", "Current number of pending messages in DB",
     one(static_cast<double>(f.pending_messages))},
  };
  if (internal) {
    std::vector<int32_t> shards;
    for (auto& [s, counts] : f.pending_by_shard)
      shards.push_back(s);
    add_shard_families(fams, f, shards);
  }
  node_families out;
  for (auto& n : snap.nodes) {
    if (n.role == role::upstream_sim)
      continue;
    bool primary = n.role == role::master && snap.lease.live
                   && snap.lease.holder == n.node_id;
    out.emplace_back(key_of(n), primary ? fams : metric_families{});
  }
  return out;
}

void app_stats(webapp_context& ctx, const httplib::Request& req,
               httplib::Response& res) {
  reply_stats(req, res, "app", app_families(ctx, false));
}

void app_stats_internal(webapp_context& ctx, const httplib::Request& req,
                        httplib::Response& res) {
  reply_stats(req, res, "app", app_families(ctx, true));
}

void db_stats(webapp_context& ctx, const httplib::Request& req,
              httplib::Response& res) {
  reply_stats(req, res, "db", db_families(ctx, false));
}

void db_stats_internal(webapp_context& ctx, const httplib::Request& req,
                       httplib::Response& res) {
  reply_stats(req, res, "db", db_families(ctx, true));
}

} // namespace

void add_stats_routes(httplib::Server& srv, webapp_context& ctx) {
  using m = route_method;
  auto a = route_access::monitoring;
  add_route(srv, ctx, m::get, "/v1/stats/app", a, app_stats);
  add_route(srv, ctx, m::get, "/v1/stats/app/internal", a, app_stats_internal);
  add_route(srv, ctx, m::get, "/v1/stats/db", a, db_stats);
  add_route(srv, ctx, m::get, "/v1/stats/db/internal", a, db_stats_internal);
}

} // namespace mc::http
