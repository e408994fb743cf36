#include "support/caf_dsl.hpp"

#include <deque>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/lifecycle.hpp"
#include "actors/protocol/errors.hpp"
#include "actors/protocol/register.hpp"
#include "actors/protocol/upstream.hpp"
#include "actors/sim/upstream_sim.hpp"
#include "runtime/inbound_payload.hpp"
#include "runtime/shard_hash.hpp"

using namespace mc;
using namespace std::chrono_literals;

namespace {

struct sim_test_config : caf::actor_system_config {
  sim_test_config() {
    register_protocol(*this);
  }
};

/// A stand-in for a shard actor: forwards login and submit requests from the
/// test to the simulator (naming itself the session owner) and records
/// everything it gets back.
struct owner_state {
  caf::actor sim;
  int logins_ok = 0;
  int reads_ok = 0;
  std::vector<std::vector<std::string>> acks;
  std::vector<std::string> errors;
  /// The same errors as values, for decisions on their codes.
  std::vector<caf::error> error_values;
  std::vector<std::pair<int32_t, int64_t>> kicks;
  std::vector<std::pair<int32_t, upstream_receipt>> receipts;
  std::vector<std::pair<int32_t, inbound_message>> inbound;
  size_t receipt_batches = 0;
  /// The epoch of every push, in arrival order.
  std::vector<int64_t> push_epochs;
  /// When set, pushes are not answered until (release_push_atom, ok).
  bool hold_pushes = false;
  std::deque<caf::response_promise> held;
  static inline const char* name = "test_owner";
};

/// Test-only: answers the oldest held push (ok or a database error).
using release_push_atom = caf::atom_constant<caf::atom("rel_push")>;

/// Answers a push at once (ok) or holds it.
caf::result<caf::ok_atom> answer_push(caf::stateful_actor<owner_state>* self,
                                      int64_t epoch) {
  self->state.push_epochs.push_back(epoch);
  if (!self->state.hold_pushes)
    return caf::ok_atom::value;
  auto rp = self->make_response_promise<caf::ok_atom>();
  self->state.held.push_back(rp);
  return rp;
}

caf::behavior owner(caf::stateful_actor<owner_state>* self, caf::actor sim) {
  self->state.sim = sim;
  auto on_error = [self](caf::error& err) {
    self->state.errors.push_back(self->system().render(err));
    self->state.error_values.push_back(err);
  };
  return {
    [=](login_atom, const std::string& account, int32_t shard, int64_t epoch,
        int32_t total) {
      self
        ->request(self->state.sim, caf::infinite, login_atom::value, account,
                  shard, epoch, total,
                  caf::actor_cast<upstream_owner_actor>(self))
        .then([=](caf::ok_atom) { ++self->state.logins_ok; }, on_error);
    },
    [=](submit_atom, const std::string& account, int32_t shard, int64_t epoch,
        const std::vector<upstream_message>& msgs) {
      self
        ->request(self->state.sim, caf::infinite, submit_atom::value, account,
                  shard, epoch, msgs)
        .then(
          [=](std::vector<std::string>& ids) {
            self->state.acks.push_back(std::move(ids));
          },
          on_error);
    },
    [=](mark_read_atom, const std::string& account, int32_t shard,
        int64_t epoch, const std::string& id, const std::string& sender) {
      self
        ->request(self->state.sim, caf::infinite, mark_read_atom::value,
                  account, shard, epoch, id, sender)
        .then([=](caf::ok_atom) { ++self->state.reads_ok; }, on_error);
    },
    [=](kicked_atom, int32_t shard, int64_t epoch) {
      self->state.kicks.emplace_back(shard, epoch);
    },
    [=](receipt_atom, int32_t shard, int64_t epoch,
        std::vector<upstream_receipt>& xs) {
      ++self->state.receipt_batches;
      for (auto& x : xs)
        self->state.receipts.emplace_back(shard, std::move(x));
      return answer_push(self, epoch);
    },
    [=](inbound_atom, int32_t shard, int64_t epoch,
        std::vector<inbound_message>& xs) {
      for (auto& x : xs)
        self->state.inbound.emplace_back(shard, std::move(x));
      return answer_push(self, epoch);
    },
    [=](release_push_atom, bool ok) {
      auto& held = self->state.held;
      if (held.empty())
        return; // the test's own checks then fail on the missing answer
      auto rp = std::move(held.front());
      held.pop_front();
      if (ok)
        rp.deliver(caf::ok_atom::value);
      else
        rp.deliver(make_error(mc_errc::database, "scripted"));
    },
  };
}

std::vector<upstream_message> msgs(std::vector<std::string> ids) {
  std::vector<upstream_message> out;
  for (auto& id : ids)
    out.push_back(upstream_message{id, "16315550000", "hello " + id});
  return out;
}

std::vector<upstream_message> numbered(const std::string& prefix, int n) {
  std::vector<upstream_message> out;
  for (int i = 0; i < n; ++i)
    out.push_back(upstream_message{prefix + std::to_string(i), "16315550000",
                                   "x"});
  return out;
}

struct fixture : test_coordinator_fixture<sim_test_config> {
  std::shared_ptr<sim_ledger> ledger = std::make_shared<sim_ledger>(1024);
  caf::actor sim;
  std::vector<caf::actor> owners;

  void start(sim_config cfg) {
    sim = caf::actor_cast<caf::actor>(sys.spawn(upstream_sim, cfg, ledger));
  }

  caf::actor new_owner() {
    owners.push_back(sys.spawn(owner, sim));
    return owners.back();
  }

  owner_state& st(const caf::actor& a) {
    return deref<caf::stateful_actor<owner_state>>(a).state;
  }

  void login(const caf::actor& a, int32_t shard, int64_t epoch,
             int32_t total = 1, std::string account = "acc") {
    caf::anon_send(a, login_atom::value, std::move(account), shard, epoch,
                   total);
  }

  void submit(const caf::actor& a, int32_t shard, int64_t epoch,
              std::vector<upstream_message> xs, std::string account = "acc") {
    caf::anon_send(a, submit_atom::value, std::move(account), shard, epoch,
                   std::move(xs));
  }

  /// Advances virtual time in `step`s, delivering what fell due each step.
  void advance(caf::timespan total, caf::timespan step = 1ms) {
    consume_messages();
    for (caf::timespan t{0}; t < total; t += step) {
      advance_time(step);
      consume_messages();
    }
  }

  ~fixture() override {
    // Stop the ticks and end every actor, or the base destructor's run()
    // never returns.
    if (sim) {
      caf::anon_send(sim, stop_atom::value);
      consume_messages();
      caf::anon_send_exit(sim, caf::exit_reason::user_shutdown);
    }
    for (auto& a : owners)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    consume_messages();
  }
};

sim_config quiet() {
  sim_config cfg;
  cfg.latency_ms = 1;
  cfg.delivered_ms = 200;
  cfg.read_ms = 0;
  return cfg;
}

} // namespace

TEST_CASE_FIXTURE(fixture, "login then submit is acked after the latency") {
  start(quiet());
  auto a = new_owner();
  login(a, 0, 1);
  consume_messages();
  CHECK(st(a).logins_ok == 1);
  submit(a, 0, 1, msgs({"m1", "m2"}));
  consume_messages();
  CHECK(st(a).acks.empty()); // latency 1 ms has not passed
  advance(1ms);
  REQUIRE(st(a).acks.size() == 1);
  CHECK(st(a).acks[0] == std::vector<std::string>{"m1", "m2"});
  CHECK(st(a).errors.empty());
  auto log = ledger->entries(0, 10);
  REQUIRE(log.size() == 2);
  CHECK(log[0].id == "m1");
  CHECK(log[0].account == "acc");
  CHECK(log[0].epoch == 1);
  CHECK(log[1].id == "m2");
}

TEST_CASE_FIXTURE(fixture, "a duplicate id is acked but logged once") {
  start(quiet());
  auto a = new_owner();
  login(a, 0, 1);
  submit(a, 0, 1, msgs({"m1", "m2"}));
  submit(a, 0, 1, msgs({"m2", "m3"}));
  advance(2ms);
  REQUIRE(st(a).acks.size() == 2);
  CHECK(st(a).acks[1] == std::vector<std::string>{"m2", "m3"});
  CHECK(ledger->size() == 3);
  CHECK(ledger->stats().duplicates == 1);
  // Only new messages get receipts: one each for m1, m2, m3.
  advance(250ms, 10ms);
  CHECK(st(a).receipts.size() == 3);
}

TEST_CASE_FIXTURE(fixture, "a newer epoch kicks the old owner") {
  start(quiet());
  auto a = new_owner();
  auto b = new_owner();
  login(a, 0, 1);
  consume_messages();
  REQUIRE(st(a).logins_ok == 1);
  // An ack still in flight for the old session is lost with it.
  submit(a, 0, 1, msgs({"early"}));
  consume_messages();
  login(b, 0, 2);
  expect((login_atom, std::string, int32_t, int64_t, int32_t), to(b));
  expect((login_atom, std::string, int32_t, int64_t, int32_t,
          upstream_owner_actor),
         from(b).to(sim).with(_, std::string{"acc"}, int32_t{0}, int64_t{2},
                              int32_t{1},
                              caf::actor_cast<upstream_owner_actor>(b)));
  expect((kicked_atom, int32_t, int64_t),
         from(sim).to(a).with(_, int32_t{0}, int64_t{1}));
  consume_messages();
  CHECK(st(b).logins_ok == 1);
  CHECK(ledger->stats().kicks == 1);
  submit(a, 0, 1, msgs({"late"}));
  submit(b, 0, 2, msgs({"new"}));
  advance(2ms);
  REQUIRE(st(a).errors.size() == 2);
  // The late submit is refused at once, the early ack fails at +1 ms.
  // Fenced for good (a newer epoch exists), decided by the code; the ack
  // of a closed session is a refusal that may pass.
  CHECK(is(st(a).error_values[0], mc_errc::upstream_fenced));
  CHECK(st(a).errors[0].find("stale epoch") != std::string::npos);
  CHECK(is(st(a).error_values[1], mc_errc::upstream_refused));
  CHECK(st(a).errors[1].find("session closed") != std::string::npos);
  CHECK(st(a).acks.empty());
  REQUIRE(st(b).acks.size() == 1);
  CHECK_FALSE(ledger->seen("late"));
  CHECK(ledger->seen("new"));
  // The message accepted before the kick is still logged: the new owner's
  // retry of it is a duplicate.
  CHECK(ledger->seen("early"));
}

TEST_CASE_FIXTURE(fixture, "an older epoch cannot log in") {
  start(quiet());
  auto a = new_owner();
  auto b = new_owner();
  login(a, 0, 5);
  consume_messages();
  login(b, 0, 4);
  consume_messages();
  CHECK(st(b).logins_ok == 0);
  REQUIRE(st(b).errors.size() == 1);
  CHECK(is(st(b).error_values[0], mc_errc::upstream_fenced));
  CHECK(st(b).errors[0].find("stale epoch") != std::string::npos);
  CHECK(st(a).kicks.empty());
  // The same epoch from another owner is refused too; the owner itself may
  // log in again.
  login(b, 0, 5);
  login(a, 0, 5);
  consume_messages();
  CHECK(st(b).errors.size() == 2);
  CHECK(st(a).logins_ok == 2);
  CHECK(ledger->stats().refused == 2);
  // Without a session, a submit is refused.
  submit(b, 0, 5, msgs({"x"}));
  consume_messages();
  REQUIRE(st(b).errors.size() == 3);
  CHECK(is(st(b).error_values[2], mc_errc::upstream_refused));
  CHECK(st(b).errors[2].find("no session") != std::string::npos);
}

TEST_CASE_FIXTURE(fixture, "the rate cap holds a batch back") {
  auto cfg = quiet();
  cfg.session_rate = 100;
  start(cfg);
  auto a = new_owner();
  login(a, 0, 1);
  consume_messages();
  submit(a, 0, 1, numbered("r", 50));
  submit(a, 0, 1, numbered("s", 50));
  // 50 messages at 100 msg/s occupy 500 ms, plus 1 ms latency.
  advance(499ms, 1ms);
  CHECK(st(a).acks.empty());
  advance(2ms);
  REQUIRE(st(a).acks.size() == 1);
  CHECK(st(a).acks[0].size() == 50);
  // The second batch waits behind the first.
  advance(498ms, 1ms);
  CHECK(st(a).acks.size() == 1);
  advance(2ms);
  CHECK(st(a).acks.size() == 2);
  CHECK(ledger->size() == 100);
}

TEST_CASE_FIXTURE(fixture, "receipts arrive after their delays, batched") {
  auto cfg = quiet();
  cfg.read_ms = 1000;
  start(cfg);
  auto a = new_owner();
  login(a, 0, 1);
  submit(a, 0, 1, msgs({"m1", "m2", "m3"}));
  advance(1ms);
  REQUIRE(st(a).acks.size() == 1);
  // Acked at +1 ms: delivered is due at +201 ms.
  advance(199ms);
  CHECK(st(a).receipts.empty());
  advance(1ms);
  REQUIRE(st(a).receipts.size() == 3);
  CHECK(st(a).receipt_batches == 1);
  for (auto& r : st(a).receipts) {
    CHECK(r.first == 0);
    CHECK(r.second.status == "delivered");
    CHECK(r.second.recipient == "16315550000");
  }
  CHECK(st(a).receipts[0].second.id == "m1");
  advance(800ms, 10ms);
  REQUIRE(st(a).receipts.size() == 6);
  CHECK(st(a).receipts[3].second.status == "read");
  CHECK(ledger->stats().receipts == 6);
}

TEST_CASE_FIXTURE(fixture, "receipts without an owner wait for the next one") {
  start(quiet());
  auto a = new_owner();
  login(a, 0, 1);
  submit(a, 0, 1, msgs({"m1"}));
  advance(1ms);
  REQUIRE(st(a).acks.size() == 1);
  ledger->request_drop_sessions();
  caf::anon_send(sim, sim_fault_atom::value);
  consume_messages();
  REQUIRE(st(a).kicks.size() == 1);
  CHECK(st(a).kicks[0] == std::make_pair(int32_t{0}, int64_t{1}));
  advance(300ms, 10ms);
  CHECK(st(a).receipts.empty());
  // The newest epoch survives the drop: an older one stays fenced off.
  auto b = new_owner();
  login(b, 0, 0);
  consume_messages();
  CHECK(st(b).logins_ok == 0);
  login(b, 0, 2);
  consume_messages();
  CHECK(st(b).logins_ok == 1);
  REQUIRE(st(b).receipts.size() == 1);
  CHECK(st(b).receipts[0].second.id == "m1");
}

TEST_CASE_FIXTURE(fixture, "refused logins fault lasts its time") {
  start(quiet());
  auto a = new_owner();
  ledger->request_refuse_logins(100);
  caf::anon_send(sim, sim_fault_atom::value);
  consume_messages();
  login(a, 0, 1);
  consume_messages();
  REQUIRE(st(a).errors.size() == 1);
  CHECK(st(a).errors[0].find("refusing logins") != std::string::npos);
  advance(100ms, 10ms);
  login(a, 0, 1);
  consume_messages();
  CHECK(st(a).logins_ok == 1);
}

TEST_CASE_FIXTURE(fixture, "extra latency delays acks") {
  start(quiet());
  auto a = new_owner();
  login(a, 0, 1);
  consume_messages();
  ledger->set_extra_latency_ms(50);
  submit(a, 0, 1, msgs({"m1"}));
  advance(50ms);
  CHECK(st(a).acks.empty());
  advance(1ms);
  CHECK(st(a).acks.size() == 1);
}

TEST_CASE_FIXTURE(fixture, "an injected inbound message reaches its shard") {
  start(quiet());
  std::vector<caf::actor> shard_owners;
  for (int32_t s = 0; s < 4; ++s) {
    shard_owners.push_back(new_owner());
    login(shard_owners.back(), s, 1, 4);
  }
  consume_messages();
  for (auto& o : shard_owners)
    REQUIRE(st(o).logins_ok == 1);
  std::string from = "4930123456"; // shard 2 of 4 (pinned vector)
  REQUIRE(shard_of(from, 4) == 2);
  auto injector = make_sim_injector(caf::actor_cast<upstream_sim_actor>(sim));
  injector(inbound_message{"", from, text_payload("hi"), 0, "Kerry"}, "acc");
  consume_messages();
  for (int32_t s = 0; s < 4; ++s)
    CHECK(st(shard_owners[s]).inbound.size() == (s == 2 ? 1u : 0u));
  auto& got = st(shard_owners[2]).inbound.at(0);
  CHECK(got.first == 2);
  CHECK(got.second.from == from);
  CHECK(got.second.payload == text_payload("hi"));
  CHECK(got.second.profile_name == "Kerry");
  CHECK_FALSE(got.second.id.empty());
  CHECK(got.second.timestamp > 0);
  // For an account that never logged in it waits for the login.
  auto late = new_owner();
  injector(inbound_message{"in-1", "16315550000", text_payload("yo"), 0},
           "other");
  consume_messages();
  login(late, 0, 1, 1, "other");
  consume_messages();
  REQUIRE(st(late).inbound.size() == 1);
  CHECK(st(late).inbound[0].second.id == "in-1");
}

TEST_CASE_FIXTURE(fixture, "simulated users send inbound to their shards") {
  auto cfg = quiet();
  cfg.inbound_rate = 100;
  cfg.users = 50;
  start(cfg);
  std::vector<caf::actor> shard_owners;
  for (int32_t s = 0; s < 2; ++s) {
    shard_owners.push_back(new_owner());
    login(shard_owners.back(), s, 1, 2);
  }
  advance(1000ms, 10ms);
  size_t total = 0;
  std::set<std::string> types;
  for (int32_t s = 0; s < 2; ++s) {
    for (auto& x : st(shard_owners[s]).inbound) {
      CHECK(x.first == s);
      CHECK(shard_of(x.second.from, 2) == s);
      CHECK(x.second.from.size() == 11);
      CHECK(x.second.from.rfind("1555", 0) == 0);
      REQUIRE(inbound_type(x.second.payload));
      types.insert(*inbound_type(x.second.payload));
      CHECK(x.second.profile_name == "Sim User " + x.second.from);
    }
    total += st(shard_owners[s]).inbound.size();
  }
  // 100 msg/s for ~1 s, less the first tick that only starts the clock.
  CHECK(total >= 95);
  CHECK(total <= 101);
  // The traffic mixes the carried types (14; text weighs four of the 17
  // draws), so ~100 messages show most of them.
  CHECK(types.count("text") == 1);
  CHECK(types.size() >= 8);
  CHECK(!st(shard_owners[0]).inbound.empty());
  CHECK(!st(shard_owners[1]).inbound.empty());
  // After stop no more inbound arrives.
  caf::anon_send(sim, stop_atom::value);
  advance(200ms, 10ms);
  size_t after = st(shard_owners[0]).inbound.size()
                 + st(shard_owners[1]).inbound.size();
  CHECK(after <= total + 2);
  advance(500ms, 10ms);
  CHECK(st(shard_owners[0]).inbound.size() + st(shard_owners[1]).inbound.size()
        == after);
}

TEST_CASE_FIXTURE(fixture, "a read receipt is taken from the live session "
                           "only, and recorded") {
  start(quiet());
  auto a = new_owner();
  login(a, 1, 3, 2);
  consume_messages();
  REQUIRE(st(a).logins_ok == 1);
  caf::anon_send(a, mark_read_atom::value, std::string{"acc"}, int32_t{1},
                 int64_t{3}, std::string{"in-7"}, std::string{"15550000042"});
  consume_messages();
  CHECK(st(a).reads_ok == 1);
  auto reads = ledger->reads().list();
  REQUIRE(reads.size() == 1);
  CHECK(reads[0].account == "acc");
  CHECK(reads[0].shard == 1);
  CHECK(reads[0].epoch == 3);
  CHECK(reads[0].message_id == "in-7");
  CHECK(reads[0].sender == "15550000042");
  // Another shard (no session) and an older epoch are refused.
  caf::anon_send(a, mark_read_atom::value, std::string{"acc"}, int32_t{0},
                 int64_t{3}, std::string{"in-8"}, std::string{"1"});
  caf::anon_send(a, mark_read_atom::value, std::string{"acc"}, int32_t{1},
                 int64_t{2}, std::string{"in-9"}, std::string{"1"});
  consume_messages();
  CHECK(st(a).reads_ok == 1);
  REQUIRE(st(a).error_values.size() == 2);
  CHECK(is(st(a).error_values[0], mc_errc::upstream_refused));
  CHECK(is(st(a).error_values[1], mc_errc::upstream_fenced));
  // Nor from an actor that is not the session's.
  auto b = new_owner();
  caf::anon_send(b, mark_read_atom::value, std::string{"acc"}, int32_t{1},
                 int64_t{3}, std::string{"in-10"}, std::string{"1"});
  consume_messages();
  CHECK(st(b).reads_ok == 0);
  CHECK(ledger->reads().total() == 1);
}

TEST_CASE_FIXTURE(fixture, "a dead owner's sessions close") {
  start(quiet());
  auto a = new_owner();
  login(a, 3, 1, 4);
  consume_messages();
  REQUIRE(ledger->stats().sessions.at(0).live);
  caf::anon_send_exit(a, caf::exit_reason::kill);
  consume_messages();
  CHECK_FALSE(ledger->stats().sessions.at(0).live);
  CHECK(ledger->stats().kicks == 0);
}

TEST_CASE("simulated users have stable numbers") {
  CHECK(sim_user(0) == "15550000000");
  CHECK(sim_user(42) == "15550000042");
  CHECK(sim_user(9999999) == "15559999999");
}

TEST_CASE_FIXTURE(fixture, "a message the rules refuse gets one failed receipt with its error") {
  auto cfg = quiet();
  cfg.read_ms = 1000;
  start(cfg);
  ledger->rules().register_template({"ns", "hello", {"en"}, {{"body", 1}}});
  auto a = new_owner();
  login(a, 0, 1);
  const std::string tmpl
    = R"({"type":"template","template":{"namespace":"ns","name":"hello","language":{"policy":"deterministic","code":"en"}}})";
  submit(a, 0, 1,
         {upstream_message{"ok", "16315550000",
                           R"({"type":"text","text":{"body":"x"}})", "text"},
          upstream_message{"bad", "16315550000", tmpl, "template"}});
  advance(1ms);
  // Both are acked: the servers took them, then failed one.
  REQUIRE(st(a).acks.size() == 1);
  CHECK(st(a).acks[0] == std::vector<std::string>{"ok", "bad"});
  advance(200ms);
  REQUIRE(st(a).receipts.size() == 2);
  CHECK(st(a).receipts[0].second.id == "ok");
  CHECK(st(a).receipts[0].second.status == "delivered");
  CHECK(st(a).receipts[0].second.error_code == 0);
  CHECK(st(a).receipts[1].second.id == "bad");
  CHECK(st(a).receipts[1].second.status == "failed");
  CHECK(st(a).receipts[1].second.error_code == 2000);
  CHECK(st(a).receipts[1].second.error_title == "Template Param Count Mismatch");
  // No delivered or read follows a failure.
  advance(1000ms, 10ms);
  REQUIRE(st(a).receipts.size() == 3);
  CHECK(st(a).receipts[2].second.id == "ok");
  CHECK(st(a).receipts[2].second.status == "read");
  // The ledger still logs what reached the servers, payload included.
  auto log = ledger->entries(0, 10);
  REQUIRE(log.size() == 2);
  CHECK(log[1].payload == tmpl);
}

// -- acknowledged pushes -----------------------------------------------------------

TEST_CASE_FIXTURE(fixture, "an unacknowledged receipt is pushed again after "
                           "the timeout, an acknowledged one never") {
  start(quiet());
  auto a = new_owner();
  login(a, 0, 1);
  consume_messages();
  st(a).hold_pushes = true;
  submit(a, 0, 1, msgs({"m1"}));
  advance(201ms);
  REQUIRE(st(a).receipts.size() == 1);
  CHECK(ledger->stats().unacked == 1);
  // No answer within the push timeout (2 s): pushed again after it.
  advance(1990ms, 10ms);
  CHECK(st(a).receipts.size() == 1);
  advance(300ms, 10ms);
  REQUIRE(st(a).receipts.size() == 2);
  CHECK(st(a).receipts[1].second.id == "m1");
  CHECK(ledger->stats().redelivered == 1);
  // A database error answer: pushed again after the backoff.
  caf::anon_send(a, release_push_atom::value, false); // the first push
  caf::anon_send(a, release_push_atom::value, false); // the second
  advance(600ms, 10ms);
  REQUIRE(st(a).receipts.size() == 3);
  caf::anon_send(a, release_push_atom::value, true);
  consume_messages();
  CHECK(ledger->stats().unacked == 0);
  advance(20s, 100ms);
  CHECK(st(a).receipts.size() == 3);
  CHECK(ledger->stats().receipts == 1); // counted once, when first pushed
}

TEST_CASE_FIXTURE(fixture, "the next epoch's login gets every unacknowledged "
                           "push; the old epoch's ack does not count") {
  start(quiet());
  auto a = new_owner();
  login(a, 0, 1);
  consume_messages();
  st(a).hold_pushes = true;
  submit(a, 0, 1, msgs({"m1", "m2"}));
  advance(201ms);
  REQUIRE(st(a).receipts.size() == 2);
  auto b = new_owner();
  st(b).hold_pushes = true;
  login(b, 0, 2);
  consume_messages();
  REQUIRE(st(b).logins_ok == 1);
  REQUIRE(st(b).receipts.size() == 2);
  CHECK(st(b).push_epochs == std::vector<int64_t>{2});
  // The kicked owner's late ok is ignored: still unacknowledged.
  caf::anon_send(a, release_push_atom::value, true);
  consume_messages();
  CHECK(ledger->stats().unacked == 2);
  // The current session acks: done, nothing more is pushed.
  caf::anon_send(b, release_push_atom::value, true);
  consume_messages();
  CHECK(ledger->stats().unacked == 0);
  advance(10s, 100ms);
  CHECK(st(b).receipts.size() == 2);
  CHECK(st(a).receipts.size() == 2);
}

TEST_CASE_FIXTURE(fixture, "pushes stop at the window and flow again as "
                           "acks come") {
  auto cfg = quiet();
  cfg.push_window = 3;
  start(cfg);
  auto a = new_owner();
  login(a, 0, 1);
  consume_messages();
  st(a).hold_pushes = true;
  submit(a, 0, 1, msgs({"m1", "m2"}));
  advance(201ms);
  submit(a, 0, 1, msgs({"m3", "m4", "m5"}));
  advance(201ms);
  // Two in the first push, one more fits; two wait in the simulator.
  REQUIRE(st(a).receipts.size() == 3);
  CHECK(ledger->stats().unacked == 3);
  caf::anon_send(a, release_push_atom::value, true); // m1, m2
  advance(50ms, 10ms);
  REQUIRE(st(a).receipts.size() == 5);
  CHECK(st(a).receipts[3].second.id == "m4");
  CHECK(st(a).receipts[4].second.id == "m5");
  CHECK(ledger->stats().unacked == 3);
  caf::anon_send(a, release_push_atom::value, true);
  caf::anon_send(a, release_push_atom::value, true);
  consume_messages();
  CHECK(ledger->stats().unacked == 0);
}

TEST_CASE_FIXTURE(fixture, "inbound generation pauses while the shard's "
                           "window is full") {
  auto cfg = quiet();
  cfg.push_window = 5;
  cfg.inbound_rate = 100;
  cfg.users = 1;
  start(cfg);
  auto a = new_owner();
  st(a).hold_pushes = true;
  login(a, 0, 1);
  advance(1500ms, 10ms); // within the push timeout: nothing pushed again
  CHECK(st(a).inbound.size() <= 5);
  CHECK(st(a).inbound.size() >= 1);
  CHECK(ledger->stats().unacked <= 5);
  CHECK(ledger->stats().inbound_paused > 50);
  auto before = st(a).inbound.size();
  while (!st(a).held.empty())
    caf::anon_send(a, release_push_atom::value, true), consume_messages();
  advance(200ms, 10ms);
  CHECK(st(a).inbound.size() > before);
}
