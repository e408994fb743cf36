#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/processes.hpp"
#include "support/test_cluster.hpp"

namespace mc::test {

/// The network of a netns_cluster: one network namespace per host, each
/// with two veth links to the root namespace, one on the cluster bridge
/// (10.200.N.0/24: the other hosts, the upstream simulator, the webhook
/// receiver and the test's clients, all on the root side at 10.200.N.1)
/// and one on the database bridge (10.201.N.0/24, PostgreSQL at
/// 10.201.N.1). Two links per host give a partial cut without a firewall:
/// a host cut from the cluster still reaches PostgreSQL and the other way
/// round. Every name starts with "mn<pid>", so a run never touches
/// another's; namespaces and links are deleted on destruction, and those of
/// runs whose process is gone when the next one starts.
class netns_net {
public:
  /// Which of a host's links.
  enum class link { cluster, database };

  /// Why namespaces cannot be used here ("" if they can): not root, no
  /// `ip`, or a namespace that cannot be made.
  static std::string unavailable();

  netns_net();
  ~netns_net();
  netns_net(const netns_net&) = delete;
  netns_net& operator=(const netns_net&) = delete;

  /// Adds a host named `host` (its namespace and both links, up); returns
  /// its address on the cluster bridge.
  std::string add_host(const std::string& host);

  /// Every host added so far.
  std::vector<std::string> hosts() const;

  /// The command prefix that runs a program on `host`.
  std::vector<std::string> exec_prefix(const std::string& host) const;

  /// Addresses: a host's on the cluster bridge, the root side of each
  /// bridge.
  std::string cluster_addr(const std::string& host) const;
  std::string root_cluster_addr() const { return net(0) + ".1"; }
  std::string root_db_addr() const { return net(1) + ".1"; }
  /// The database bridge's network with prefix, for pg-start --listen.
  std::string db_listen() const { return root_db_addr() + "/24"; }

  /// Sets a host's link down (a partition: nothing passes either way) or
  /// up again.
  void cut(const std::string& host, link which);
  void heal(const std::string& host, link which);

  /// A one-pair cut with nftables in `host`'s namespace: nothing to or
  /// from `peer` (an address) passes; every other peer still does.
  void block(const std::string& host, const std::string& peer);
  void unblock(const std::string& host);

  /// True if nftables can be used (for `block`).
  static bool has_nft();

private:
  std::string net(int bridge) const;
  std::string ns(const std::string& host) const;
  std::string veth(const std::string& host, link which) const;
  static void sweep_stale();

  std::string prefix_;
  int subnet_ = 0;
  std::map<std::string, int> hosts_;
};

/// A cluster whose nodes run as separate hosts on a netns_net, each with
/// `--bind` and `--advertise` of its own address, against a private
/// PostgreSQL listening on the database bridge (deploy/pg-start --listen,
/// plain TCP with passwords as everywhere). The upstream simulator runs in
/// the root namespace, bound to the cluster bridge; its query API stays on
/// loopback for the test. Nodes use plain CAF links as test_cluster's do.
class netns_cluster {
public:
  explicit netns_cluster(const std::string& name);
  ~netns_cluster();

  netns_net& net() { return net_; }
  test_cluster& nodes() { return *cluster_; }

  /// Starts a node of `role` on a host of its own, named `node_id`.
  child_process& start(const std::string& role, const std::string& node_id,
                       std::vector<std::string> extra = {});

  /// Starts the simulator in the root namespace.
  child_process& start_sim(std::vector<std::string> extra = {});

  /// Starts a webapp on a host of its own; its API is at api(node_id).
  child_process& start_webapp(const std::string& node_id,
                              std::vector<std::string> extra = {});

  /// "host:port" of a webapp's API.
  std::string api(const std::string& node_id) const;

  /// Stops PostgreSQL from being reachable (every host's database link
  /// down), and back.
  void cut_database();
  void heal_database();

  /// The owner of `shard`, or "".
  std::string owner(int shard) const;

private:
  class private_pg;

  netns_net net_;
  std::unique_ptr<private_pg> pg_;
  std::unique_ptr<test_cluster> cluster_;
};

/// The webapp's API port on every host (each namespace has its ports).
constexpr uint16_t netns_api_port = 9091;

} // namespace mc::test
