/// POST /v1/contacts (https://developers.facebook.com/docs/whatsapp/api/contacts):
/// which inputs are WhatsApp users, and their wa_id.
///
///   parse -> digits per input ("failed" when not a phone number)
///         -> cache (PostgreSQL, 7 days; skipped with force_check)
///         -> misses grouped by shard -> the owner coreapp -> its upstream
///            (actors/protocol/upstream_contacts.hpp)
///         -> answers cached -> reply
///
/// With "blocking":"no_wait" (the default) the misses are answered
/// "processing" at once and checked by a background actor; the next
/// request finds them in the cache.

#include "http/contact_routes.hpp"

#include <map>
#include <set>
#include <thread>

#include <caf/all.hpp>
#include <pqxx/pqxx>

#include "actors/protocol/upstream_contacts.hpp"
#include "http/contacts_request.hpp"
#include "http/route.hpp"
#include "http/webapp_context.hpp"
#include "runtime/log.hpp"
#include "runtime/shard_hash.hpp"
#include "runtime/store/contacts_store.hpp"

namespace mc::http {

namespace {

/// The cache keeps answers 7 days (schema/007_contacts.sql).
constexpr auto contacts_max_age = std::chrono::hours{24 * 7};

/// Asks the owners of `numbers`' shards about them, one request per shard;
/// numbers whose shard did not answer are absent from the result.
std::map<std::string, contact_check>
check_upstream(caf::blocking_actor* self, routing_table& routes,
               const std::vector<std::string>& numbers) {
  std::map<std::string, contact_check> out;
  std::map<int32_t, std::vector<std::string>> by_shard;
  auto shards = routes.shards();
  for (auto& n : numbers)
    by_shard[shard_of(n, shards)].push_back(n);
  for (auto& [shard, part] : by_shard) {
    // Two tries: a moved shard is asked again at its new owner.
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto route = routes.route(shard);
      if (!route || !route->node) {
        routes.refresh_if_older(std::chrono::milliseconds{20});
        std::this_thread::sleep_for(std::chrono::milliseconds{50});
        continue;
      }
      bool done = false;
      self
        ->request(caf::actor_cast<contacts_actor>(route->node),
                  contacts_node_timeout, contacts_atom::value, shard,
                  route->epoch, part)
        .receive(
          [&](contact_checks& checks) {
            for (auto& c : checks)
              out[c.number] = std::move(c);
            done = true;
          },
          [&](caf::error&) { routes.refresh(); });
      if (done)
        break;
    }
  }
  return out;
}

/// The answers worth caching: valid or invalid from the upstream.
std::vector<contact_row>
cacheable(const std::map<std::string, contact_check>& checks) {
  std::vector<contact_row> rows;
  for (auto& [n, c] : checks)
    if (c.status == "valid" || c.status == "invalid")
      rows.push_back({n, c.status, c.wa_id});
  return rows;
}

/// Background checks running at most at once: each is a thread, and a
/// flood of no_wait requests must not become a flood of threads. Numbers
/// not checked for that reason stay "processing" and are checked when
/// asked again.
constexpr int max_background_checks = 8;

/// Checks `misses` off the HTTP thread and caches the answers.
void check_in_background(webapp_context& ctx,
                         std::vector<std::string> misses) {
  static std::atomic<int> running{0};
  if (running.fetch_add(1) >= max_background_checks) {
    running.fetch_sub(1);
    return;
  }
  auto routes = ctx.routes;
  auto db = ctx.db;
  auto node_id = ctx.node_id;
  ctx.sys->spawn<caf::detached>([=](caf::blocking_actor* self) {
    try {
      auto rows = cacheable(check_upstream(self, *routes, misses));
      db->with([&](pqxx::connection& c) {
        save_contacts(c, rows);
        return 0;
      });
    } catch (const std::exception& e) {
      log_error(node_id, "background contact check failed: ", e.what());
    }
    running.fetch_sub(1);
  });
}

void post_contacts(webapp_context& ctx, const httplib::Request& req,
                   httplib::Response& res, const token_claims&) {
  auto parsed = parsed_or_reply(parse_contacts_request(req.body), res);
  if (!parsed)
    return;
  std::vector<std::string> digits;
  std::set<std::string> unique;
  for (auto& in : parsed->inputs) {
    digits.push_back(contact_digits(in));
    if (!digits.back().empty())
      unique.insert(digits.back());
  }
  std::vector<std::string> wanted{unique.begin(), unique.end()};
  std::map<std::string, contact_row> known;
  if (!parsed->force_check)
    known = ctx.db->with([&](pqxx::connection& c) {
      return load_fresh_contacts(c, wanted, contacts_max_age);
    });
  std::vector<std::string> misses;
  for (auto& n : wanted)
    if (known.count(n) == 0)
      misses.push_back(n);
  std::map<std::string, contact_check> checked;
  if (!misses.empty() && parsed->wait) {
    caf::scoped_actor self{*ctx.sys};
    checked = check_upstream(self.ptr(), *ctx.routes, misses);
    auto rows = cacheable(checked);
    ctx.db->with([&](pqxx::connection& c) {
      save_contacts(c, rows);
      return 0;
    });
  } else if (!misses.empty()) {
    check_in_background(ctx, misses);
  }
  std::vector<contact_answer> answers;
  for (size_t i = 0; i < parsed->inputs.size(); ++i) {
    contact_answer a{parsed->inputs[i], "failed", {}};
    auto& n = digits[i];
    if (n.empty()) {
      answers.push_back(std::move(a));
      continue;
    }
    if (auto k = known.find(n); k != known.end()) {
      a.status = k->second.status;
      a.wa_id = k->second.wa_id;
    } else if (auto c = checked.find(n); c != checked.end()) {
      a.status = c->second.status;
      a.wa_id = c->second.wa_id;
    } else if (!parsed->wait) {
      a.status = "processing";
    }
    // A wait whose shard never answered stays "failed".
    answers.push_back(std::move(a));
  }
  reply_json(res, 200, contacts_response_json(answers));
}

} // namespace

void add_contact_routes(httplib::Server& srv, webapp_context& ctx) {
  add_route(srv, ctx, route_method::post, "/v1/contacts", route_access::user,
            post_contacts);
}

} // namespace mc::http
