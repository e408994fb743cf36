#include <doctest/doctest.h>

#include <memory>
#include <string>

#include <caf/all.hpp>
#include <pqxx/pqxx>

#include "actors/coreapp/media_relay.hpp"
#include "actors/protocol/errors.hpp"
#include "actors/protocol/register.hpp"
#include "actors/sim/upstream_sim.hpp"
#include "runtime/sha256.hpp"
#include "runtime/store/media_store.hpp"
#include "runtime/store/migrations.hpp"
#include "support/test_db.hpp"

using namespace mc;

namespace {

/// A simulator and a relay on a real store, in one process.
struct relay_fixture {
  test::scratch_db db{"media_relay"};
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::shared_ptr<sim_media> media = std::make_shared<sim_media>();
  upstream_sim_actor sim;
  media_relay_actor relay;

  relay_fixture() {
    pqxx::connection c{db.uri()};
    apply_migrations(c, MC_SOURCE_DIR "/schema");
    register_protocol(cfg);
    sys = std::make_unique<caf::actor_system>(cfg);
    sim_config sc;
    sc.media = media;
    sim = sys->spawn(upstream_sim, sc, std::make_shared<sim_ledger>());
    relay = sys->spawn<caf::detached>(media_relay, db.uri());
  }

  ~relay_fixture() {
    caf::anon_send(relay, stop_atom::value);
    caf::anon_send_exit(sim, caf::exit_reason::user_shutdown);
    sys->await_all_actors_done();
  }

  upstream_media_actor upstream() {
    return caf::actor_cast<upstream_media_actor>(sim);
  }

  /// The relay's answer to `xs`: none on ok, else its error.
  template <class... Ts>
  caf::error ask(Ts&&... xs) {
    caf::scoped_actor self{*sys};
    caf::error out;
    self->request(relay, std::chrono::seconds{10}, std::forward<Ts>(xs)...)
      .receive([](caf::ok_atom) {}, [&](caf::error& err) { out = err; });
    return out;
  }
};

} // namespace

TEST_CASE("the relay uploads stored media to the upstream, idempotently") {
  relay_fixture f;
  std::string bytes(3 << 20, '\0');
  for (size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<char>(i * 31 % 251);
  {
    pqxx::connection c{f.db.uri()};
    insert_media(c, {"m1", "video/mp4", sha256_hex(bytes),
                     static_cast<int64_t>(bytes.size())},
                 bytes, 3600);
  }
  std::vector<std::string> ids{"m1"};
  CHECK_FALSE(f.ask(ensure_media_atom::value, std::string{"acct"},
                    f.upstream(), ids));
  auto held = f.media->get("m1");
  REQUIRE(held);
  CHECK(*held->bytes == bytes);
  CHECK(held->mime_type == "video/mp4");
  CHECK(held->account == "acct");
  CHECK(held->uploads == 1);
  CHECK_FALSE(f.ask(ensure_media_atom::value, std::string{"acct"},
                    f.upstream(), ids));
  CHECK(f.media->get("m1")->uploads == 2);
  CHECK(f.media->count() == 1);
  // A media the store does not have is an error the caller decides on.
  auto err = f.ask(ensure_media_atom::value, std::string{"acct"},
                   f.upstream(), std::vector<std::string>{"m1", "gone"});
  CHECK(is(err, mc_errc::media_unknown));
}

TEST_CASE("the relay stores a media the upstream holds under its id") {
  relay_fixture f;
  std::string bytes = "%PDF-1.4 a user's document";
  REQUIRE(f.media->put("acct", "in-1", "application/pdf", sha256_hex(bytes),
                       bytes)
          == mc_errc::none);
  CHECK_FALSE(f.ask(fetch_media_atom::value, std::string{"acct"},
                    f.upstream(), std::string{"in-1"}));
  // Twice is fine: the row is there already.
  CHECK_FALSE(f.ask(fetch_media_atom::value, std::string{"acct"},
                    f.upstream(), std::string{"in-1"}));
  pqxx::connection c{f.db.uri()};
  auto blob = find_media(c, "in-1");
  REQUIRE(blob);
  CHECK(blob->info.mime_type == "application/pdf");
  CHECK(blob->info.sha256 == sha256_hex(bytes));
  CHECK(std::string{blob->bytes.get(), blob->bytes.size()} == bytes);
  auto err = f.ask(fetch_media_atom::value, std::string{"acct"},
                   f.upstream(), std::string{"nothing"});
  CHECK(is(err, mc_errc::media_unknown));
  // Damaged bytes are refused by the upstream.
  CHECK(f.media->put("acct", "bad", "image/png", sha256_hex("x"), "y")
        == mc_errc::media_invalid);
}
