#pragma once

/// An in-memory cluster store for deterministic supervisor tests: the same
/// rules as the PostgreSQL one (runtime/shard_map_store.cpp) without a
/// database, plus counters and logs of every call so a test can prove what
/// the supervisor did and, as much, what it did not do.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "actors/master/cluster_store.hpp"

namespace mc::testing {

/// Things that happened, in order, shared by the store and the fake
/// coreapps of one test (proves the order of deactivations and commit).
using event_log = std::vector<std::string>;

class fake_cluster_store : public cluster_store {
public:
  /// One cas_owner call and what it returned.
  struct cas_call {
    int32_t shard;
    int64_t expected_epoch;
    std::string owner;
    std::string master;
    int64_t master_epoch;
    std::optional<int64_t> result;
  };

  /// One commit_reshard call and what it returned.
  struct commit_call {
    int32_t shards;
    std::string master;
    int64_t master_epoch;
    bool result;
  };

  explicit fake_cluster_store(std::shared_ptr<event_log> events
                              = std::make_shared<event_log>())
    : events(std::move(events)) {
  }

  // -- what the test sets ----------------------------------------------------

  std::shared_ptr<event_log> events;
  /// The `nodes` table (coreapps only); heartbeat ages are what the test says.
  std::vector<node_record> nodes;
  /// The webapp rows of the `nodes` table.
  std::vector<node_record> webapp_nodes;
  int32_t shards = 1;
  int64_t config_epoch = 1;
  /// The `shard_map` rows by shard id (may hold rows above `shards`).
  std::map<int32_t, shard_slot> map;
  std::optional<int32_t> reshard_to;
  /// The current master lease: cas_owner and commit_reshard are fenced by it.
  std::string lease_holder;
  int64_t lease_epoch = 0;
  std::string account_name = "16315550000";
  /// Runs inside cas_owner before its compare-and-set: lets a test play a
  /// rival that changes the map between the supervisor's read and its write.
  std::function<void(fake_cluster_store&, int32_t shard)> before_cas;
  /// While set, every call throws as a lost database connection does.
  bool unreachable = false;

  // -- what the supervisor did -----------------------------------------------

  int coreapps_calls = 0;
  /// Calls that threw because the store was unreachable.
  int failed_calls = 0;
  int load_calls = 0;
  int pending_calls = 0;
  std::vector<cas_call> cas_log;
  std::vector<commit_call> commit_log;

  // -- helpers for tests -----------------------------------------------------

  void add_coreapp(const std::string& id, const std::string& host, int port,
                   int64_t heartbeat_age_ms = 0) {
    node_record n;
    n.node_id = id;
    n.role = role::coreapp;
    n.host = host;
    n.caf_port = port;
    n.state = node_state::active;
    n.heartbeat_age_ms = heartbeat_age_ms;
    nodes.push_back(std::move(n));
  }

  void add_webapp(const std::string& id, const std::string& host, int port) {
    node_record n;
    n.node_id = id;
    n.role = role::webapp;
    n.host = host;
    n.caf_port = port;
    n.state = node_state::serving;
    webapp_nodes.push_back(std::move(n));
  }

  node_record& node(const std::string& id) {
    for (auto& n : nodes)
      if (n.node_id == id)
        return n;
    throw std::out_of_range("no node " + id);
  }

  void set_slot(int32_t shard, const std::string& owner, int64_t epoch) {
    shard_slot s;
    s.shard_id = shard;
    s.owner = owner;
    s.epoch = epoch;
    map[shard] = s;
  }

  void set_lease(const std::string& holder, int64_t epoch) {
    lease_holder = holder;
    lease_epoch = epoch;
  }

  int64_t max_epoch() const {
    int64_t top = 0;
    for (auto& [id, s] : map)
      top = std::max(top, s.epoch);
    return top;
  }

  /// cas_owner calls that changed the map.
  size_t cas_successes() const {
    return static_cast<size_t>(
      std::count_if(cas_log.begin(), cas_log.end(),
                    [](const cas_call& c) { return c.result.has_value(); }));
  }

  /// cas_owner and commit_reshard calls made in the name of `master`.
  size_t writes_by(const std::string& master) const {
    size_t n = 0;
    for (auto& c : cas_log)
      n += c.master == master ? 1 : 0;
    for (auto& c : commit_log)
      n += c.master == master ? 1 : 0;
    return n;
  }

  // -- cluster_store ---------------------------------------------------------

  std::vector<node_record>
  coreapps(std::chrono::milliseconds unhealthy) override {
    check_reachable();
    ++coreapps_calls;
    return judged(nodes, unhealthy);
  }

  std::vector<node_record>
  webapps(std::chrono::milliseconds unhealthy) override {
    check_reachable();
    return judged(webapp_nodes, unhealthy);
  }

  /// `rows` with `live` set as mc_node_live (schema/003_rules.sql) sets it:
  /// not stopped and a heartbeat younger than `unhealthy`.
  static std::vector<node_record>
  judged(std::vector<node_record> rows, std::chrono::milliseconds unhealthy) {
    for (auto& n : rows)
      n.live = n.state != node_state::stopped
               && n.heartbeat_age_ms < unhealthy.count();
    return rows;
  }

  shard_table load_table() override {
    check_reachable();
    ++load_calls;
    shard_table out;
    out.shards = shards;
    out.config_epoch = config_epoch;
    for (auto& [id, s] : map) {
      if (id >= shards)
        continue;
      auto slot = s;
      for (auto& n : nodes)
        if (n.node_id == s.owner) {
          slot.host = n.host;
          slot.caf_port = n.caf_port;
        }
      out.slots.push_back(slot);
    }
    return out;
  }

  int ensure_shard_rows() override {
    check_reachable();
    // As the SQL: one fresh epoch above every existing one for all new rows.
    auto fresh = max_epoch() + 1;
    int created = 0;
    for (int32_t g = 0; g < shards; ++g)
      if (map.count(g) == 0) {
        set_slot(g, "", fresh);
        ++created;
      }
    return created;
  }

  std::optional<int64_t> cas_owner(int32_t shard, int64_t expected_epoch,
                                   const std::string& owner,
                                   const std::string& master,
                                   int64_t master_epoch) override {
    check_reachable();
    if (before_cas)
      before_cas(*this, shard);
    cas_call call{shard, expected_epoch, owner, master, master_epoch, {}};
    auto i = map.find(shard);
    if (holds_lease(master, master_epoch) && i != map.end()
        && i->second.epoch == expected_epoch) {
      // Epochs are global: the next number over every shard.
      auto epoch = max_epoch() + 1;
      i->second.owner = owner;
      i->second.epoch = epoch;
      call.result = epoch;
      events->push_back("cas " + std::to_string(shard) + " -> '" + owner
                        + "' epoch " + std::to_string(epoch));
    }
    cas_log.push_back(call);
    return call.result;
  }

  std::optional<int32_t> pending_reshard() override {
    check_reachable();
    ++pending_calls;
    return reshard_to;
  }

  bool commit_reshard(int32_t new_shards, const std::string& master,
                      int64_t master_epoch) override {
    check_reachable();
    commit_call call{new_shards, master, master_epoch, false};
    if (holds_lease(master, master_epoch)) {
      // A new unowned map whose epochs are above every old epoch.
      auto fresh = max_epoch() + 1;
      map.clear();
      for (int32_t g = 0; g < new_shards; ++g)
        set_slot(g, "", fresh);
      shards = new_shards;
      ++config_epoch;
      reshard_to.reset();
      call.result = true;
      events->push_back("commit " + std::to_string(new_shards));
    }
    commit_log.push_back(call);
    return call.result;
  }

  std::string account() override {
    check_reachable();
    return account_name;
  }

private:
  void check_reachable() {
    if (!unreachable)
      return;
    ++failed_calls;
    throw std::runtime_error("could not connect to server: Connection refused");
  }

  bool holds_lease(const std::string& master, int64_t master_epoch) const {
    return master == lease_holder && master_epoch == lease_epoch;
  }
};

} // namespace mc::testing
