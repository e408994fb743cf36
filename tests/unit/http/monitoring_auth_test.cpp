#include <doctest/doctest.h>

#include <ctime>

#include "http/request_auth.hpp"
#include "http/token.hpp"
#include "http/webapp_context.hpp"

using namespace mc::http;

namespace {

const std::string key = "monitoring-key-0123456789";

bool admitted(const webapp_context& ctx, const httplib::Headers& headers,
              int* status = nullptr) {
  httplib::Request req;
  req.headers = headers;
  httplib::Response res;
  bool ok = authenticate_monitoring(ctx, req, res);
  if (status)
    *status = res.status;
  if (!ok)
    CHECK(res.body.find("\"code\":1005") != std::string::npos);
  return ok;
}

} // namespace

TEST_CASE("the Apikey header value is the key after the scheme") {
  CHECK(apikey_credentials("Apikey abc123") == "abc123");
  CHECK(apikey_credentials("apikey   abc123  ") == "abc123");
  CHECK(apikey_credentials("Bearer abc123") == "");
  CHECK(apikey_credentials("Apikey") == "");
  CHECK(apikey_credentials("Apikeyabc") == "");
  CHECK(apikey_credentials("Apikey a b") == "");
}

TEST_CASE("monitoring routes accept Authorization: Apikey, X-API-Key and "
          "a bearer token, and refuse a wrong key") {
  webapp_context ctx;
  ctx.keys->set({"secret-for-monitoring-tests", key, "", 0});
  CHECK(admitted(ctx, {{"Authorization", "Apikey " + key}}));
  CHECK(admitted(ctx, {{"X-API-Key", key}}));
  int status = 0;
  CHECK_FALSE(admitted(ctx, {{"Authorization", "Apikey wrong-key-000000"}},
                       &status));
  CHECK(status == 401);
  CHECK_FALSE(admitted(ctx, {{"X-API-Key", "wrong"}}));
  CHECK_FALSE(admitted(ctx, {}));
  auto now = static_cast<int64_t>(std::time(nullptr));
  auto token = ctx.keys->sign(token_claims{"t1", "alice", false, now + 3600});
  CHECK(admitted(ctx, {{"Authorization", "Bearer " + token}}));
}

TEST_CASE("an Apikey is refused when the cluster has no key") {
  webapp_context ctx;
  CHECK_FALSE(admitted(ctx, {{"Authorization", "Apikey anything-at-all"}}));
}
