#include <doctest/doctest.h>

#include <random>
#include <string>
#include <thread>

#include <httplib.h>
#include <pqxx/pqxx>
#include <rapidjson/document.h>

#include "runtime/sha256.hpp"
#include "support/test_cluster.hpp"

using namespace mc::test;
using namespace std::chrono_literals;

namespace {

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 gen{seed};
  std::string out(n, '\0');
  for (auto& c : out)
    c = static_cast<char>(gen() & 0xff);
  return out;
}

rapidjson::Document json_of(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  return doc;
}

int error_code(const httplib::Result& res) {
  auto doc = json_of(res->body);
  if (!doc.IsObject() || !doc.HasMember("errors"))
    return 0;
  return doc["errors"][0]["code"].GetInt();
}

} // namespace

TEST_CASE("media: upload on one webapp, download from another, send by id "
          "(the upstream gets the same bytes once), delete, expiry") {
  test_cluster c{"e2e_media"};
  c.start_sim();
  c.start("master", "m1");
  c.start("coreapp", "c1");
  c.start_webapp("w1");
  auto port2 = free_port();
  c.start("webapp", "w2",
          {"--http-port", std::to_string(port2), "--http-threads", "8"});
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 20s), c.logs());
  auto token = wait_for_admin_token(c.http_port(), 10s);
  REQUIRE_FALSE(token.empty());
  httplib::Headers auth{{"Authorization", "Bearer " + token}};
  httplib::Client w1{"127.0.0.1", c.http_port()};
  httplib::Client w2{"127.0.0.1", port2};
  w2.set_read_timeout(10, 0);
  REQUIRE(c.wait([&] { return static_cast<bool>(w2.Get("/healthz")); }, 10s));

  // Upload: 201 {"media":[{"id"}]}.
  auto image = random_bytes(1 << 20, 7);
  auto up = w1.Post("/v1/media", auth, image, "image/png");
  REQUIRE(up);
  REQUIRE_MESSAGE(up->status == 201, up->body);
  auto id = std::string{json_of(up->body)["media"][0]["id"].GetString()};
  // Without a token: refused like every route.
  auto anon = w1.Post("/v1/media", image, "image/png");
  REQUIRE(anon);
  CHECK(anon->status == 401);

  // Another webapp serves the same bytes with their type.
  auto got = w2.Get(("/v1/media/" + id).c_str(), auth);
  REQUIRE(got);
  REQUIRE(got->status == 200);
  CHECK(got->get_header_value("Content-Type") == "image/png");
  CHECK(got->body.size() == image.size());
  CHECK(got->body == image);

  // Send it twice by id: the upstream holds the same bytes, uploaded once.
  auto body = R"({"to":"15550001111","type":"image","image":{"id":")" + id
              + R"(","caption":"a picture"}})";
  for (int i = 0; i < 2; ++i) {
    auto sent = w1.Post("/v1/messages", auth, body, "application/json");
    REQUIRE(sent);
    CHECK_MESSAGE(sent->status == 201, sent->body);
  }
  httplib::Client sim{"127.0.0.1", c.sim_http_port()};
  auto held = [&] {
    auto r = sim.Get(("/media/" + id).c_str());
    return r && r->status == 200;
  };
  REQUIRE_MESSAGE(c.wait(held, 10s), c.logs());
  auto accepted = [&] {
    auto r = sim.Get("/stats");
    return r && json_of(r->body)["accepted"].GetUint64() >= 2;
  };
  REQUIRE_MESSAGE(c.wait(accepted, 10s), c.logs());
  auto info = json_of(sim.Get(("/media/" + id).c_str())->body);
  CHECK(std::string{info["sha256"].GetString()} == mc::sha256_hex(image));
  CHECK(info["size"].GetUint64() == image.size());
  CHECK(std::string{info["mime_type"].GetString()} == "image/png");
  CHECK(info["uploads"].GetUint64() == 1);

  // An unknown id, or a media of another kind, is refused at POST time.
  auto unknown = w1.Post("/v1/messages", auth,
                         R"({"to":"15550001111","type":"image",)"
                         R"("image":{"id":"no-such-media"}})",
                         "application/json");
  REQUIRE(unknown);
  CHECK(unknown->status == 400);
  CHECK(error_code(unknown) == 1009);
  auto wrong = w1.Post("/v1/messages", auth,
                       R"({"to":"15550001111","type":"video","video":{"id":")"
                         + id + R"("}})",
                       "application/json");
  REQUIRE(wrong);
  CHECK(wrong->status == 400);
  CHECK(error_code(wrong) == 1009);

  // Limits: an image over 5 MB, and a JSON route over its small limit.
  auto big = w1.Post("/v1/media", auth, std::string(5 * 1024 * 1024 + 1, 'x'),
                     "image/jpeg");
  REQUIRE(big);
  CHECK(big->status == 413);
  CHECK(error_code(big) == 1009);
  auto doc = w1.Post("/v1/media", auth, std::string(6 * 1024 * 1024, 'd'),
                     "application/pdf");
  REQUIRE(doc);
  CHECK(doc->status == 201);
  auto fat = w1.Post("/v1/messages", auth, std::string(100 * 1024, ' '),
                     "application/json");
  REQUIRE(fat);
  CHECK(fat->status == 413);

  // Delete on one webapp: gone on the other (404, 1006), and once only.
  auto del = w2.Delete(("/v1/media/" + id).c_str(), auth);
  REQUIRE(del);
  CHECK(del->status == 200);
  auto gone = w1.Get(("/v1/media/" + id).c_str(), auth);
  REQUIRE(gone);
  CHECK(gone->status == 404);
  CHECK(error_code(gone) == 1006);
  auto again = w1.Delete(("/v1/media/" + id).c_str(), auth);
  REQUIRE(again);
  CHECK(again->status == 404);

  // Expiry: an expired media is not served, and the next upload prunes it.
  auto doc_id = std::string{json_of(doc->body)["media"][0]["id"].GetString()};
  {
    pqxx::connection conn{c.db_uri()};
    pqxx::work tx{conn};
    tx.exec_params("UPDATE media SET expires_at = now() - interval '1 second' "
                   "WHERE id = $1",
                   doc_id);
    tx.commit();
  }
  auto expired = w2.Get(("/v1/media/" + doc_id).c_str(), auth);
  REQUIRE(expired);
  CHECK(expired->status == 404);
  CHECK(c.query("SELECT count(*) FROM media WHERE id = '" + doc_id + "'")
        == "1");
  auto next = w1.Post("/v1/media", auth, std::string("tiny"), "text/plain");
  REQUIRE(next);
  CHECK(next->status == 201);
  CHECK(c.query("SELECT count(*) FROM media WHERE id = '" + doc_id + "'")
        == "0");
}
