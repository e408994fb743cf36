#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/cloud/cloud_batches.hpp"
#include "actors/protocol/errors.hpp"

using namespace mc;

namespace {

/// Answers promises made by a real actor, read back with a scoped actor.
struct fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
};

} // namespace

TEST_CASE("a submit is answered once every id it waits for ended, and a "
          "resubmit joins the ids in progress") {
  fixture f;
  caf::scoped_actor self{f.sys};
  // The batches live in an actor, which makes the promises.
  auto batches = std::make_shared<cloud_batches>();
  using submit_atom_t = caf::atom_constant<caf::atom("s")>;
  using end_atom_t = caf::atom_constant<caf::atom("e")>;
  using fail_atom_t = caf::atom_constant<caf::atom("f")>;
  auto a = f.sys.spawn([batches](caf::event_based_actor* me) -> caf::behavior {
    return {
      [=](submit_atom_t, std::vector<std::string>& ids) {
        auto p = me->make_response_promise<std::vector<std::string>>();
        std::vector<std::string> pending;
        for (auto& id : ids)
          if (!batches->done(id))
            pending.push_back(id);
        batches->add(p, ids, pending);
        return p;
      },
      [=](end_atom_t, const std::string& id) { batches->finish(id); },
      [=](caf::get_atom, const std::string& id) {
        return batches->in_progress(id);
      },
      [=](fail_atom_t, const std::string& id) {
        batches->fail(id, make_error(mc_errc::upstream_fenced));
      },
    };
  });
  // Sent, not requested: each promise answers with a plain message.
  self->send(a, submit_atom_t::value, std::vector<std::string>{"a", "b"});
  self->send(a, submit_atom_t::value, std::vector<std::string>{"b"});
  self->send(a, end_atom_t::value, std::string{"b"});
  self->send(a, end_atom_t::value, std::string{"a"});
  // The resubmit of "b" ends first, then the submit waiting for both.
  std::vector<std::vector<std::string>> answers;
  for (int i = 0; i < 2; ++i)
    self->receive(
      [&](std::vector<std::string>& ids) { answers.push_back(ids); });
  REQUIRE(answers.size() == 2);
  CHECK(answers[0] == std::vector<std::string>{"b"});
  CHECK(answers[1] == std::vector<std::string>{"a", "b"});

  // Ended ids answer a resubmit at once.
  self->send(a, submit_atom_t::value, std::vector<std::string>{"a"});
  self->receive([&](std::vector<std::string>& ids) {
    CHECK(ids == std::vector<std::string>{"a"});
  });
  // A fenced id fails its submit.
  self->send(a, submit_atom_t::value, std::vector<std::string>{"c"});
  self->send(a, fail_atom_t::value, std::string{"c"});
  bool failed = false;
  self->receive([&](caf::error& err) {
    failed = is(err, mc_errc::upstream_fenced);
  });
  CHECK(failed);
  // Read in the actor, which owns the batches.
  self->request(a, caf::infinite, caf::get_atom::value, std::string{"c"})
    .receive([&](bool busy) { CHECK_FALSE(busy); },
             [&](caf::error&) { FAIL("no answer"); });
  self->send_exit(a, caf::exit_reason::user_shutdown);
}
