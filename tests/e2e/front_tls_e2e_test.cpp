// The HTTP front of deploy/up serving the API over TLS (deploy/front-config
// --tls-crt): a client that trusts the cluster CA logs in over HTTPS, one
// that trusts another CA refuses the front, and plain HTTP on the TLS port
// gets no API answer.
#include <doctest/doctest.h>

#include <cstdlib>
#include <httplib.h>
#include <unistd.h>

#include "support/test_cluster.hpp"
#include "support/test_front.hpp"

using namespace mc::test;
using namespace std::chrono_literals;

TEST_CASE("front with TLS: a login over HTTPS verifies with the cluster CA, "
          "and plain HTTP on the TLS port gets no API answer") {
  test_cluster c{"front-tls"};
  uint16_t web = free_port();
  c.start_sim();
  c.start("master", "m1");
  c.start("coreapp", "c1");
  c.start("webapp", "w1", {"--http-port", std::to_string(web)});
  test_front front{{web}, 500, true};
  REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 30s), c.logs());
  // The first login (password change) goes to the webapp directly; the
  // login below is an ordinary one through the front.
  REQUIRE_MESSAGE(!wait_for_admin_token(web, 20s).empty(), c.logs());
  REQUIRE_MESSAGE(front.wait_ready(10s), front.log());

  // Verified against the CA that signed the front (name 127.0.0.1 in its
  // subjectAltName).
  httplib::SSLClient tls_cli{"127.0.0.1", front.port()};
  tls_cli.set_ca_cert_path(front.ca_file().c_str());
  tls_cli.enable_server_certificate_verification(true);
  tls_cli.set_basic_auth("admin", "Secr3t!pass");
  auto res = tls_cli.Post("/v1/users/login", "", "application/json");
  REQUIRE_MESSAGE(res, (httplib::to_string(res.error()) + "\n" + front.log()));
  CHECK(res->status == 200);
  CHECK(res->body.find("\"token\"") != std::string::npos);
  tls_cli.set_basic_auth("admin", "wrong-password");
  auto refused = tls_cli.Post("/v1/users/login", "", "application/json");
  REQUIRE(refused);
  CHECK(refused->status == 401);

  // A client that trusts only another CA refuses the front's certificate.
  char tmpl[] = "/tmp/mc-other-ca-XXXXXX";
  std::string other = ::mkdtemp(tmpl);
  REQUIRE(issue_certs(other, {}));
  httplib::SSLClient stranger{"127.0.0.1", front.port()};
  stranger.set_ca_cert_path((other + "/ca.crt").c_str());
  stranger.enable_server_certificate_verification(true);
  auto unverified = stranger.Get("/v1/health");
  CHECK_FALSE(unverified);
  CHECK(unverified.error() == httplib::Error::SSLServerVerification);

  // Plain HTTP to the TLS port: nothing from the API.
  httplib::Client plain{"127.0.0.1", front.port()};
  plain.set_connection_timeout(2s);
  plain.set_read_timeout(2s);
  plain.set_basic_auth("admin", "Secr3t!pass");
  // HAProxy closes the connection at the failed handshake: no HTTP answer.
  auto cleartext = plain.Post("/v1/users/login", "", "application/json");
  CHECK_FALSE(cleartext);
  if (cleartext)
    CHECK(cleartext->body.find("\"token\"") == std::string::npos);
  std::system(("rm -rf " + other).c_str());
}
