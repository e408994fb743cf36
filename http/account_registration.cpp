// Registration by code: POST /v1/account with "method" and POST
// /v1/account/verify, through a coreapp to the upstream
// (actors/protocol/upstream_account.hpp).

#include "http/account_registration.hpp"

#include <caf/actor_cast.hpp>
#include <caf/scoped_actor.hpp>
#include <pqxx/pqxx>

#include "actors/protocol/errors.hpp"
#include "actors/protocol/upstream_account.hpp"
#include "http/account_settings_request.hpp"
#include "http/route.hpp"
#include "runtime/log.hpp"
#include "runtime/store/account_store.hpp"

namespace mc::http {

namespace {

/// The account interface of the coreapp that owns shard 0, nullopt (and
/// the 1011 written) while no coreapp serves it.
std::optional<upstream_account_actor> account_peer(webapp_context& ctx,
                                                   httplib::Response& res) {
  auto route = ctx.routes->route(0);
  if (!route || !route->node) {
    reply_error(res, make_api_error(codes::not_ready,
                                    "no coreapp serves the account yet; "
                                    "retry shortly"));
    return std::nullopt;
  }
  return caf::actor_cast<upstream_account_actor>(route->node);
}

/// The On-Prem error for an account call that failed with `err`.
api_error account_call_error(const caf::error& err) {
  if (is(err, mc_errc::code_mismatch))
    return make_api_error(codes::invalid_parameter,
                          "code is wrong, or no code was requested");
  return make_api_error(codes::not_ready,
                        "the messaging servers did not answer; retry");
}

void verify(webapp_context& ctx, const httplib::Request& req,
            httplib::Response& res) {
  auto code = parsed_or_reply(parse_verify_body(req.body), res);
  if (!code)
    return;
  auto pending = ctx.db->with(
    [](pqxx::connection& c) { return load_pending_registration(c); });
  if (!pending) {
    reply_error(res, make_api_error(codes::invalid_parameter,
                                    "no registration waits for a code; "
                                    "POST /v1/account with a method first"));
    return;
  }
  auto peer = account_peer(ctx, res);
  if (!peer)
    return;
  std::optional<api_error> failure;
  caf::scoped_actor self{*ctx.sys};
  self
    ->request(*peer, upstream_account_webapp_wait, acct_ver_atom::value,
              pending->cc, pending->phone_number, *code)
    .receive([](caf::ok_atom) {},
             [&](caf::error& err) { failure = account_call_error(err); });
  if (failure) {
    reply_error(res, *failure);
    return;
  }
  ctx.db->with([](pqxx::connection& c) {
    clear_pending_registration(c);
    return 0;
  });
  complete_registration(ctx, *pending, res);
}

} // namespace

void complete_registration(webapp_context& ctx,
                           const registered_account& account,
                           httplib::Response& res) {
  auto shards = ctx.db->with([&](pqxx::connection& c) {
    return store_account(c, account.cc, account.phone_number, account.cert,
                         account.pin_hash);
  });
  // Sessions log in with the account: restart them under the new one.
  ctx.db->with([&](pqxx::connection& c) {
    request_reshard(c, shards);
    return 0;
  });
  log_info(ctx.node_id, "account +", account.cc, " ", account.phone_number,
           " registered");
  if (!wait_for_shards(ctx, shards)) {
    reply_error(res, make_api_error(codes::not_ready,
                                    "the account is stored; its sessions are "
                                    "still restarting"));
    return;
  }
  reply_json(res, 201, ok_json());
}

void register_with_code(webapp_context& ctx, const account_request& req,
                        const std::string& pin_hash, httplib::Response& res) {
  auto peer = account_peer(ctx, res);
  if (!peer)
    return;
  std::optional<api_error> failure;
  std::string vname;
  bool code_sent = false;
  caf::scoped_actor self{*ctx.sys};
  self
    ->request(*peer, upstream_account_webapp_wait, acct_reg_atom::value,
              req.cc, req.phone_number, *req.method, req.cert)
    .receive(
      [&](std::string& name, bool sent) {
        vname = std::move(name);
        code_sent = sent;
      },
      [&](caf::error& err) { failure = account_call_error(err); });
  if (failure) {
    reply_error(res, *failure);
    return;
  }
  registered_account account{req.cc, req.phone_number, req.cert, pin_hash, 1};
  if (!code_sent) {
    complete_registration(ctx, account, res);
    return;
  }
  ctx.db->with([&](pqxx::connection& c) {
    store_pending_registration(c, account);
    return 0;
  });
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  w.Key("account");
  w.StartArray();
  w.StartObject();
  write_member(w, "vname", vname);
  w.EndObject();
  w.EndArray();
  write_meta(w);
  w.EndObject();
  reply_json(res, 202, {buf.GetString(), buf.GetSize()});
}

void add_account_verify_route(httplib::Server& srv, webapp_context& ctx) {
  add_route(srv, ctx, route_method::post, "/v1/account/verify",
            route_access::admin, verify);
}

} // namespace mc::http
