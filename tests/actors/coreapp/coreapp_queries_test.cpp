#include "support/caf_dsl.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/coreapp/coreapp_node.hpp"
#include "actors/coreapp/db_writer.hpp"
#include "actors/protocol/register.hpp"
#include "runtime/settings_cache.hpp"

/// Deterministic scenarios for the coreapp node's queries: contact checks
/// go to the upstream only for a shard the node serves at that epoch, and
/// the in-memory stats count what the node did.

using namespace mc;

namespace {

struct queries_config : caf::actor_system_config {
  queries_config() {
    register_protocol(*this);
  }
};

caf::behavior ok_writer(caf::event_based_actor*) {
  return {
    [=](commit_atom, int32_t, int64_t, const std::vector<upstream_message>&) {
      return caf::ok_atom::value;
    },
    [=](pending_atom, int32_t) { return std::vector<upstream_message>{}; },
    [=](sent_atom, const std::vector<std::string>&) {},
    [=](callback_atom, int32_t, const std::vector<std::string>&,
        const std::vector<std::string>&, const std::vector<std::string>&) {
      return caf::ok_atom::value;
    },
    [=](inbound_seen_atom, int32_t, const std::vector<std::string>&,
        const std::vector<std::string>&) { return caf::ok_atom::value; },
  };
}

/// An upstream that accepts logins, acks every submit and answers contact
/// checks: numbers ending in 9 are not users.
struct contacts_upstream_state {
  static inline const char* name = "contacts_upstream";
  std::vector<std::string> accounts;
  std::vector<std::vector<std::string>> asked;
};

caf::behavior
contacts_upstream(caf::stateful_actor<contacts_upstream_state>* self) {
  return {
    [=](login_atom, const std::string&, int32_t, int64_t, int32_t,
        const upstream_owner_actor&) { return caf::ok_atom::value; },
    [=](submit_atom, const std::string&, int32_t, int64_t,
        const std::vector<upstream_message>& msgs) {
      std::vector<std::string> ids;
      for (auto& m : msgs)
        ids.push_back(m.id);
      return ids;
    },
    [=](contacts_atom, const std::string& account,
        const std::vector<std::string>& numbers) {
      self->state.accounts.push_back(account);
      self->state.asked.push_back(numbers);
      contact_checks out;
      for (auto& n : numbers)
        out.push_back(n.back() == '9' ? contact_check{n, "invalid", {}}
                                      : contact_check{n, "valid", n});
      return out;
    },
  };
}

using node_actor
  = caf::stateful_actor<coreapp_node_state, coreapp_node_actor::base>;

struct fixture : test_coordinator_fixture<queries_config> {
  caf::actor writer = sys.spawn(ok_writer);
  caf::actor upstream = sys.spawn(contacts_upstream);
  caf::actor node;

  fixture() {
    coreapp_config cfg;
    cfg.node_id = "core-q";
    cfg.writers = {caf::actor_cast<db_writer_actor>(writer)};
    cfg.upstream = caf::actor_cast<upstream_actor>(upstream);
    cfg.settings = std::make_shared<settings_cache>();
    cfg.settings->set_account("acct-1");
    node = caf::actor_cast<caf::actor>(sys.spawn(coreapp_node, std::move(cfg)));
    consume_messages();
  }

  void settle() {
    consume_messages();
    REQUIRE(self->mailbox().size() == 1);
  }

  void activate(int32_t shard, int64_t epoch) {
    auto h = self->request(node, caf::infinite, activate_atom::value, shard,
                           epoch, int32_t{4}, std::string{"acct-1"});
    settle();
    h.receive([](caf::ok_atom) {},
              [&](caf::error& err) { FAIL(sys.render(err)); });
  }

  /// The checks the node answers, or its error.
  std::pair<contact_checks, caf::error>
  contacts(int32_t shard, int64_t epoch, std::vector<std::string> numbers) {
    auto h = self->request(node, caf::infinite, contacts_atom::value, shard,
                           epoch, std::move(numbers));
    settle();
    std::pair<contact_checks, caf::error> out;
    h.receive([&](contact_checks& xs) { out.first = std::move(xs); },
              [&](caf::error& err) { out.second = err; });
    return out;
  }

  std::map<std::string, int64_t> stats() {
    auto h = self->request(node, caf::infinite, app_stats_atom::value);
    settle();
    std::map<std::string, int64_t> out;
    h.receive(
      [&](std::string& id, stat_samples& xs) {
        CHECK(id == "core-q");
        for (auto& x : xs) {
          auto key = x.name;
          for (auto& l : x.labels)
            key += "," + l;
          out[key] = x.value;
        }
      },
      [&](caf::error& err) { FAIL(sys.render(err)); });
    return out;
  }

  contacts_upstream_state& up() {
    return deref<caf::stateful_actor<contacts_upstream_state>>(upstream).state;
  }

  ~fixture() override {
    std::vector<caf::actor> shards;
    for (auto& kv : deref<node_actor>(node).state.shards)
      shards.push_back(caf::actor_cast<caf::actor>(kv.second.actor));
    for (auto& s : shards)
      caf::anon_send_exit(s, caf::exit_reason::user_shutdown);
    consume_messages();
    for (auto* a : {&node, &writer, &upstream})
      caf::anon_send_exit(*a, caf::exit_reason::user_shutdown);
    consume_messages();
  }
};

} // namespace

TEST_CASE_FIXTURE(fixture, "contact checks reach the upstream only for a "
                           "shard served at that epoch") {
  auto early = contacts(1, 3, {"16315550001"});
  CHECK(is(early.second, mc_errc::not_owner));
  CHECK(up().asked.empty());
  activate(1, 3);
  auto stale = contacts(1, 2, {"16315550001"});
  CHECK(is(stale.second, mc_errc::not_owner));
  auto ok = contacts(1, 3, {"16315550001", "16315550009"});
  REQUIRE_FALSE(ok.second);
  REQUIRE(ok.first.size() == 2);
  CHECK(ok.first[0].status == "valid");
  CHECK(ok.first[0].wa_id == "16315550001");
  CHECK(ok.first[1].status == "invalid");
  REQUIRE(up().asked.size() == 1);
  CHECK(up().accounts[0] == "acct-1");
  CHECK(up().asked[0] == std::vector<std::string>{"16315550001", "16315550009"});
}

TEST_CASE_FIXTURE(fixture, "the node's stats count commits, contact checks "
                           "and served shards") {
  auto before = stats();
  CHECK(before.at("messages_committed") == 0);
  CHECK(before.at("shards_served") == 0);
  CHECK(before.at("callback_requests,result,success,type,status_change") == 0);
  activate(0, 1);
  activate(2, 1);
  std::vector<send_item> items{send_item{0, 1, "m1", "16315550000", "hi"},
                               send_item{0, 1, "m2", "16315550000", "ho"}};
  auto h = self->request(node, caf::infinite, send_batch_atom::value, items);
  settle();
  h.receive([](send_codes& codes) { CHECK(codes == send_codes{0, 0}); },
            [&](caf::error& err) { FAIL(sys.render(err)); });
  contacts(2, 1, {"16315550001", "16315550002", "16315550003"});
  auto after = stats();
  CHECK(after.at("messages_committed") == 2);
  CHECK(after.at("messages_acked") == 2);
  CHECK(after.at("contacts_checked") == 3);
  CHECK(after.at("shards_served") == 2);
}
