#include "support/caf_dsl.hpp"

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/protocol/register.hpp"
#include "actors/protocol/send.hpp"
#include "actors/webapp/send_gateway.hpp"

/// Deterministic scenarios for the send gateway: what each HTTP thread's
/// promise becomes when its coreapp answers, refuses, errs, dies or stays
/// silent. Coreapps are fakes speaking the batched send protocol.

using namespace mc;
using namespace std::chrono_literals;

namespace {

struct gateway_test_config : caf::actor_system_config {
  gateway_test_config() {
    register_protocol(*this);
  }
};

/// How a fake coreapp answers (send_batch_atom, items).
enum class node_mode {
  /// Every item accepted (code 0).
  accept,
  /// Each item answered with the code given by its payload ("0" = accepted).
  codes_from_body,
  /// The whole request fails with a database error.
  fail,
  /// Never answers (the promise is held).
  silent,
};

struct fake_node_state {
  static inline const char* name = "fake_coreapp";
  /// Every batch received, as the ids it carried.
  std::vector<std::vector<std::string>> batches;
  std::vector<caf::response_promise> held;
};

caf::behavior fake_node(caf::stateful_actor<fake_node_state>* self,
                        node_mode mode) {
  return {
    [=](send_batch_atom, const std::vector<send_item>& items)
      -> caf::result<std::vector<int32_t>> {
      std::vector<std::string> ids;
      for (auto& x : items)
        ids.push_back(x.id);
      self->state.batches.push_back(ids);
      switch (mode) {
        case node_mode::accept:
          return std::vector<int32_t>(items.size(), 0);
        case node_mode::codes_from_body: {
          std::vector<int32_t> codes;
          for (auto& x : items)
            codes.push_back(std::stoi(x.payload));
          return codes;
        }
        case node_mode::fail:
          return make_error(mc_errc::database, "disk full");
        case node_mode::silent:
          break;
      }
      auto rp = self->make_response_promise<std::vector<int32_t>>();
      self->state.held.push_back(rp);
      return rp;
    },
  };
}

using outcome_future = std::future<send_outcome>;

bool ready(const outcome_future& f) {
  return f.wait_for(0s) == std::future_status::ready;
}

struct fixture : test_coordinator_fixture<gateway_test_config> {
  caf::actor gateway = sys.spawn(send_gateway);
  std::vector<caf::actor> nodes;

  fixture() {
    consume_messages();
  }

  caf::actor node(node_mode mode) {
    nodes.push_back(sys.spawn(fake_node, mode));
    consume_messages();
    return nodes.back();
  }

  /// Hands one job to the gateway as an HTTP thread does; runs nothing.
  outcome_future submit(const caf::actor& to, const std::string& id,
                        const std::string& body = "0") {
    send_job job;
    job.item = send_item{1, 2, id, "16315550000", body};
    job.node = to;
    job.timeout = 5000ms;
    job.done = std::make_shared<std::promise<send_outcome>>();
    auto result = job.done->get_future();
    caf::anon_send(gateway, std::move(job));
    return result;
  }

  fake_node_state& st(const caf::actor& a) {
    return deref<caf::stateful_actor<fake_node_state>>(a).state;
  }

  ~fixture() override {
    for (auto& n : nodes)
      caf::anon_send_exit(n, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(gateway, caf::exit_reason::user_shutdown);
    consume_messages();
  }
};

} // namespace

TEST_CASE_FIXTURE(fixture, "an answering node completes the job accepted") {
  auto n = node(node_mode::accept);
  auto a = submit(n, "a");
  auto b = submit(n, "b");
  CHECK_FALSE(ready(a)); // nothing runs until the actors do
  consume_messages();
  REQUIRE(ready(a));
  REQUIRE(ready(b));
  auto ra = a.get();
  CHECK(ra.accepted);
  CHECK_FALSE(ra.error);
  CHECK(b.get().accepted);
  // Jobs that arrived together went to the node as one batch.
  REQUIRE(st(n).batches.size() == 1);
  CHECK(st(n).batches[0] == std::vector<std::string>{"a", "b"});
}

TEST_CASE_FIXTURE(fixture, "a node's error reaches the job that caused it") {
  auto coded = node(node_mode::codes_from_body);
  auto failing = node(node_mode::fail);
  auto ok = submit(coded, "ok", "0");
  auto full = submit(coded, "full",
                     std::to_string(static_cast<int>(mc_errc::overloaded)));
  auto moved = submit(coded, "moved",
                      std::to_string(static_cast<int>(mc_errc::not_owner)));
  auto lost = submit(failing, "lost");
  consume_messages();
  REQUIRE(ready(ok));
  REQUIRE(ready(full));
  REQUIRE(ready(moved));
  REQUIRE(ready(lost));
  // Per-item codes: each job gets its own, not its neighbours'.
  CHECK(ok.get().accepted);
  auto rf = full.get();
  CHECK_FALSE(rf.accepted);
  CHECK(is(rf.error, mc_errc::overloaded));
  auto rm = moved.get();
  CHECK_FALSE(rm.accepted);
  CHECK(is(rm.error, mc_errc::not_owner));
  // A failed request carries the node's error itself.
  auto rl = lost.get();
  CHECK_FALSE(rl.accepted);
  CHECK(is(rl.error, mc_errc::database));
  CHECK(st(coded).batches.size() == 1);
  CHECK(st(failing).batches.size() == 1);
}

TEST_CASE_FIXTURE(fixture,
                  "a node that dies fails its jobs at once, not at timeout") {
  auto dying = node(node_mode::silent);
  auto quiet = node(node_mode::silent);
  auto x = submit(dying, "x");
  auto y = submit(dying, "y");
  auto z = submit(quiet, "z");
  consume_messages();
  // Both nodes hold the requests: nobody is answered yet.
  REQUIRE(st(dying).held.size() == 1);
  REQUIRE(st(quiet).held.size() == 1);
  CHECK_FALSE(ready(x));
  CHECK_FALSE(ready(z));
  // No virtual time passes from here: what completes the jobs is the down
  // message, not their 5 s timeout.
  caf::anon_send_exit(dying, caf::exit_reason::kill);
  consume_messages();
  REQUIRE(ready(x));
  REQUIRE(ready(y));
  auto rx = x.get();
  CHECK_FALSE(rx.accepted);
  CHECK(rx.error == caf::make_error(caf::sec::request_receiver_down));
  CHECK(y.get().error == caf::make_error(caf::sec::request_receiver_down));
  // The job on the live but silent node is untouched by the other's death,
  // and fails only when its own timeout runs out.
  CHECK_FALSE(ready(z));
  advance_time(4999ms);
  consume_messages();
  CHECK_FALSE(ready(z));
  advance_time(1ms);
  consume_messages();
  REQUIRE(ready(z));
  auto rz = z.get();
  CHECK_FALSE(rz.accepted);
  CHECK(rz.error == caf::make_error(caf::sec::request_timeout));
}
