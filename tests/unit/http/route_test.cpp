// The route helper: the access check runs before the handler, answers a
// refusal in the On-Prem error shape, and hands user routes their caller.

#include <doctest/doctest.h>

#include <chrono>
#include <ctime>
#include <string>
#include <thread>

#include <httplib.h>

#include "http/route.hpp"
#include "http/token.hpp"
#include "http/webapp_context.hpp"

using namespace mc::http;

namespace {

/// Set by the handlers below, so a test sees whether one ran.
std::string last_handled;

void plain(webapp_context&, const httplib::Request&, httplib::Response& res) {
  last_handled = "plain";
  reply_json(res, 200, "{}");
}

void with_caller(webapp_context&, const httplib::Request&,
                 httplib::Response& res, const token_claims& caller) {
  last_handled = "caller:" + caller.username;
  reply_json(res, 200, "{}");
}

/// Routes of each access kind on a free loopback port.
struct route_server {
  webapp_context ctx;
  httplib::Server srv;
  std::thread thread;
  int port = 0;

  route_server() {
    ctx.keys->set({"s3cret", "key", "", 0});
    add_route(srv, ctx, route_method::get, "/open", route_access::open, plain);
    add_route(srv, ctx, route_method::post, "/user", route_access::user,
              with_caller);
    add_route(srv, ctx, route_method::patch, "/admin", route_access::admin,
              plain);
    add_route(srv, ctx, route_method::get, "/monitoring",
              route_access::monitoring, plain);
    port = srv.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { srv.listen_after_bind(); });
    for (int i = 0; i < 500 && !srv.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }

  ~route_server() {
    srv.stop();
    thread.join();
  }

  std::string token(const std::string& user, bool admin) const {
    token_claims c;
    c.token_id = new_token_id();
    c.username = user;
    c.is_admin = admin;
    c.expires_at = static_cast<int64_t>(std::time(nullptr)) + 3600;
    return ctx.keys->sign(c);
  }
};

/// Status of `method path` with `headers`; resets `last_handled` first.
int call(route_server& s, const std::string& method, const std::string& path,
         const httplib::Headers& headers, std::string* body = nullptr) {
  last_handled.clear();
  httplib::Client cli{"127.0.0.1", s.port};
  httplib::Result r = method == "GET"    ? cli.Get(path.c_str(), headers)
                      : method == "POST" ? cli.Post(path.c_str(), headers, "", "application/json")
                                         : cli.Patch(path.c_str(), headers, "", "application/json");
  REQUIRE(r);
  if (body)
    *body = r->body;
  return r->status;
}

httplib::Headers bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

} // namespace

TEST_CASE("an open route runs its handler without credentials") {
  route_server s;
  CHECK(call(s, "GET", "/open", {}) == 200);
  CHECK(last_handled == "plain");
}

TEST_CASE("a user route refuses a missing token in the On-Prem shape and hands a valid caller on") {
  route_server s;
  std::string body;
  CHECK(call(s, "POST", "/user", {}, &body) == 401);
  CHECK(last_handled.empty());
  CHECK(body.find("\"errors\":[{\"code\":1005") != std::string::npos);
  CHECK(call(s, "POST", "/user", bearer(s.token("alice", false))) == 200);
  CHECK(last_handled == "caller:alice");
}

TEST_CASE("a revoked token is refused before the handler runs") {
  route_server s;
  token_claims c;
  c.token_id = "revoked-id";
  c.username = "bob";
  c.expires_at = static_cast<int64_t>(std::time(nullptr)) + 3600;
  s.ctx.revoked.insert(c.token_id);
  CHECK(call(s, "POST", "/user", bearer(s.ctx.keys->sign(c)))
        == 401);
  CHECK(last_handled.empty());
}

TEST_CASE("an admin route answers 403 to other users and runs for admins") {
  route_server s;
  CHECK(call(s, "PATCH", "/admin", bearer(s.token("alice", false))) == 403);
  CHECK(last_handled.empty());
  CHECK(call(s, "PATCH", "/admin", bearer(s.token("root", true))) == 200);
  CHECK(last_handled == "plain");
}

TEST_CASE("a monitoring route takes the API key or a token, not a wrong key") {
  route_server s;
  CHECK(call(s, "GET", "/monitoring", {{"X-API-Key", "key"}}) == 200);
  CHECK(call(s, "GET", "/monitoring", {{"X-API-Key", "nope"}}) == 401);
  CHECK(last_handled.empty());
  CHECK(call(s, "GET", "/monitoring", bearer(s.token("alice", false))) == 200);
}

TEST_CASE("parsed_or_reply passes a value on and answers an error") {
  httplib::Response res;
  auto ok = parsed_or_reply(std::variant<int, mc::http::api_error>{7}, res);
  REQUIRE(ok);
  CHECK(*ok == 7);
  auto bad = parsed_or_reply(
    std::variant<int, api_error>{make_api_error(codes::invalid_parameter, "x")},
    res);
  CHECK_FALSE(bad);
  CHECK(res.status == 400);
  CHECK(res.body.find("\"details\":\"x\"") != std::string::npos);
}
