// Mutual TLS between nodes: a real upstream-sim process with a certificate
// of the cluster CA, and clients (actor systems in this process) that try
// to reach its published actor over CAF's middleman.
#include <doctest/doctest.h>

#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <caf/openssl/all.hpp>

#include "support/test_cluster.hpp"

using namespace mc::test;
using namespace std::chrono_literals;

namespace {

/// What a client presents: no TLS at all, TLS without a certificate, or
/// the certificate named `name` in `dir` (with `ca` as its trust anchor).
struct client_identity {
  bool tls = true;
  std::string dir;
  std::string name;
  /// Trust anchor; "" means `dir`/ca.crt.
  std::string cafile;
};

/// An actor system configured as a client with `who`'s identity.
struct client_config : caf::actor_system_config {
  explicit client_config(const client_identity& who) {
    load<caf::io::middleman>();
    set("middleman.connection-timeout", caf::timespan{2s});
    set("middleman.heartbeat-interval", caf::timespan{200ms});
    if (!who.tls)
      return;
    load<caf::openssl::manager>();
    if (who.name.empty())
      return; // TLS, but nothing to authenticate with
    openssl_certificate = who.dir + "/" + who.name + ".crt";
    openssl_key = who.dir + "/" + who.name + ".key";
    openssl_cafile = who.cafile.empty() ? who.dir + "/ca.crt" : who.cafile;
  }
};

/// True if a client with identity `who` reaches the actor published on
/// 127.0.0.1:`port` within 5 s.
bool reaches(const client_identity& who, uint16_t port) {
  client_config cfg{who};
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  auto mm = who.tls
              ? caf::actor_cast<caf::actor>(sys.openssl_manager().actor_handle())
              : caf::actor_cast<caf::actor>(sys.middleman().actor_handle());
  bool ok = false;
  self->request(mm, 5s, caf::connect_atom::value, std::string{"127.0.0.1"},
                port)
    .receive(
      [&](const caf::node_id&, caf::strong_actor_ptr& ptr,
          const std::set<std::string>&) { ok = ptr != nullptr; },
      [&](const caf::error&) { ok = false; });
  return ok;
}

/// The sim's CAF port once it registered, 0 before.
uint16_t sim_caf_port(const test_cluster& c) {
  auto p = c.query("SELECT caf_port FROM nodes WHERE node_id = 'sim'");
  return p.empty() ? 0 : static_cast<uint16_t>(std::stoi(p));
}

} // namespace

TEST_CASE("a node under mutual TLS refuses peers without a certificate of "
          "the cluster CA, with another CA's or with an expired one") {
  test_cluster c{"e2e_tls_refuse"};
  c.use_tls();
  c.start("master", "m1"); // creates the schema the sim waits for
  c.start_sim();
  uint16_t port = 0;
  REQUIRE_MESSAGE(c.wait([&] { return (port = sim_caf_port(c)) != 0; }, 20s),
                  c.logs());
  auto dir = c.tls_dir();
  REQUIRE(issue_certs(dir, {"good-client"}));
  REQUIRE(issue_certs(dir, {"expired-client"}, "--expired"));
  auto other = dir + "/other-ca";
  REQUIRE(issue_certs(other, {"foreign-client"}));
  // The control: a certificate of the cluster CA gets through.
  CHECK(reaches({true, dir, "good-client", ""}, port));
  CHECK_FALSE(reaches({false, "", "", ""}, port));            // plain CAF
  CHECK_FALSE(reaches({true, "", "", ""}, port));             // TLS, no cert
  CHECK_FALSE(reaches({true, other, "foreign-client", ""}, port));
  CHECK_FALSE(reaches({true, dir, "expired-client", ""}, port));
  // The sim is still there for the good one after the refusals.
  CHECK(reaches({true, dir, "good-client", ""}, port));
}

TEST_CASE("a client under mutual TLS refuses a server whose certificate is "
          "not of the cluster CA") {
  char tmpl[] = "/tmp/mc-tls-XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  REQUIRE(issue_certs(dir + "/cluster", {"client"}));
  REQUIRE(issue_certs(dir + "/other", {"server"}));
  // The server trusts the cluster CA, so only the client's check can fail.
  client_config cfg{{true, dir + "/other", "server", ""}};
  cfg.openssl_cafile = dir + "/cluster/ca.crt";
  caf::actor_system sys{cfg};
  auto dummy = sys.spawn([] {
    return caf::behavior{[](int x) { return x; }};
  });
  auto port = caf::openssl::publish(dummy, 0, "127.0.0.1", true);
  REQUIRE(port);
  CHECK_FALSE(reaches({true, dir + "/cluster", "client", ""}, *port));
  // With the server's CA as its trust anchor the same client gets through.
  CHECK(reaches({true, dir + "/cluster", "client", dir + "/other/ca.crt"},
                *port));
  caf::anon_send_exit(dummy, caf::exit_reason::user_shutdown);
  std::system(("rm -rf " + dir).c_str());
}
