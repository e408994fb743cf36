#include "support/netns_cluster.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace mc::test {

namespace {

bool run(const std::string& cmd) {
  return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0;
}

/// Runs `cmd` and fails the test (with the command) if it fails.
void must(const std::string& cmd) {
  if (!run(cmd))
    throw std::runtime_error("netns: command failed: " + cmd);
}

std::string output_of(const std::string& cmd) {
  std::string out;
  if (auto* p = ::popen((cmd + " 2>/dev/null").c_str(), "r")) {
    char buf[4096];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
      out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

bool pid_alive(long pid) {
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

} // namespace

// -- netns_net ----------------------------------------------------------------

std::string netns_net::unavailable() {
  if (::geteuid() != 0)
    return "not root (network namespaces and veth links need root; CI runs "
           "./deploy/test as root)";
  if (!run("ip -V"))
    return "no `ip` command (Debian package iproute2: deploy/install-deps)";
  auto probe = "mn" + std::to_string(::getpid()) + "-probe";
  if (!run("ip netns add " + probe))
    return "`ip netns add` fails here (no namespace support in this kernel "
           "or container)";
  run("ip netns del " + probe);
  return {};
}

bool netns_net::has_nft() {
  return run("nft --version");
}

void netns_net::sweep_stale() {
  std::regex owned{R"(^mn([0-9]+)[-cd])"};
  std::istringstream nss{output_of("ip netns list")};
  std::string line;
  while (std::getline(nss, line)) {
    auto name = line.substr(0, line.find(' '));
    std::smatch m;
    if (std::regex_search(name, m, owned) && !pid_alive(std::stol(m[1])))
      run("ip netns del " + name);
  }
  std::istringstream links{output_of("ip -o link show type bridge")};
  std::regex bridge{R"(^[0-9]+: (mn([0-9]+)[cd]b):)"};
  while (std::getline(links, line)) {
    std::smatch m;
    if (std::regex_search(line, m, bridge) && !pid_alive(std::stol(m[2])))
      run("ip link del " + m[1].str());
  }
}

netns_net::netns_net() : prefix_("mn" + std::to_string(::getpid())) {
  sweep_stale();
  // A /24 pair no other run uses: the root namespace routes by address.
  for (int i = 0; i < 250 && subnet_ == 0; ++i) {
    int n = 2 + (::getpid() + i) % 250;
    if (output_of("ip -o addr show to 10.200." + std::to_string(n) + ".0/24")
          .empty()
        && output_of("ip -o addr show to 10.201." + std::to_string(n)
                     + ".0/24")
             .empty())
      subnet_ = n;
  }
  if (subnet_ == 0)
    throw std::runtime_error("netns: no free 10.200.x.0/24 subnet");
  for (int b = 0; b < 2; ++b) {
    auto br = prefix_ + (b == 0 ? "cb" : "db");
    must("ip link add " + br + " type bridge");
    must("ip addr add " + net(b) + ".1/24 dev " + br);
    must("ip link set " + br + " up");
  }
}

netns_net::~netns_net() {
  // Deleting a namespace deletes its veth ends and so their peers.
  for (auto& [host, index] : hosts_)
    run("ip netns del " + ns(host));
  run("ip link del " + prefix_ + "cb");
  run("ip link del " + prefix_ + "db");
}

std::string netns_net::net(int bridge) const {
  return (bridge == 0 ? "10.200." : "10.201.") + std::to_string(subnet_);
}

std::string netns_net::ns(const std::string& host) const {
  return prefix_ + "-" + host;
}

std::string netns_net::veth(const std::string& host, link which) const {
  return prefix_ + (which == link::cluster ? "c" : "d")
         + std::to_string(hosts_.at(host));
}

std::string netns_net::add_host(const std::string& host) {
  if (hosts_.count(host))
    return cluster_addr(host);
  int index = static_cast<int>(hosts_.size()) + 1;
  hosts_[host] = index;
  auto name = ns(host);
  must("ip netns add " + name);
  must("ip -n " + name + " link set lo up");
  for (auto which : {link::cluster, link::database}) {
    int b = which == link::cluster ? 0 : 1;
    auto inner = b == 0 ? "eth0" : "eth1";
    auto outer = veth(host, which);
    must("ip link add " + outer + " type veth peer name " + inner + " netns "
         + name);
    must("ip link set " + outer + " master " + prefix_ + (b == 0 ? "cb" : "db")
         + " up");
    must("ip -n " + name + " addr add " + net(b) + "."
         + std::to_string(10 + index) + "/24 dev " + inner);
    must("ip -n " + name + " link set " + inner + " up");
  }
  return cluster_addr(host);
}

std::vector<std::string> netns_net::hosts() const {
  std::vector<std::string> out;
  for (auto& [host, index] : hosts_)
    out.push_back(host);
  return out;
}

std::vector<std::string> netns_net::exec_prefix(const std::string& host) const {
  return {"/usr/sbin/ip", "netns", "exec", ns(host)};
}

std::string netns_net::cluster_addr(const std::string& host) const {
  return net(0) + "." + std::to_string(10 + hosts_.at(host));
}

void netns_net::cut(const std::string& host, link which) {
  must("ip link set " + veth(host, which) + " down");
}

void netns_net::heal(const std::string& host, link which) {
  must("ip link set " + veth(host, which) + " up");
}

void netns_net::block(const std::string& host, const std::string& peer) {
  must("printf '%s\\n' 'table inet mncut {' "
       "'chain o { type filter hook output priority 0; ip daddr "
       + peer + " drop; }' 'chain i { type filter hook input priority 0; "
       "ip saddr " + peer + " drop; }' '}' | ip netns exec " + ns(host)
       + " nft -f -");
}

void netns_net::unblock(const std::string& host) {
  must("ip netns exec " + ns(host) + " nft delete table inet mncut");
}

// -- netns_cluster ------------------------------------------------------------

/// A private PostgreSQL (deploy/pg-start --fast) that also listens on the
/// database bridge.
class netns_cluster::private_pg {
public:
  explicit private_pg(const std::string& listen) {
    char tmpl[] = "/tmp/mc-pgnet-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    port_ = free_port();
    host_ = listen.substr(0, listen.find('/'));
    must(std::string{MC_SOURCE_DIR} + "/deploy/pg-start " + dir_ + " "
         + std::to_string(port_) + " --fast --listen " + listen);
  }

  ~private_pg() {
    run(std::string{MC_SOURCE_DIR} + "/deploy/pg-stop " + dir_ + " --purge");
    std::system(("rm -rf " + dir_).c_str());
  }

  std::string base_uri() const {
    return "postgresql://multiconnect@" + host_ + ":" + std::to_string(port_);
  }

  std::string pass_file() const {
    return dir_ + "/cluster.pgpass";
  }

  uint16_t port() const { return port_; }

private:
  std::string dir_;
  std::string host_;
  uint16_t port_ = 0;
};

netns_cluster::netns_cluster(const std::string& name)
  : pg_(std::make_unique<private_pg>(net_.db_listen())) {
  // Every process of the test (nodes included) finds the password there.
  ::setenv("PGPASSFILE", pg_->pass_file().c_str(), 1);
  cluster_ = std::make_unique<test_cluster>(name, pg_->base_uri());
}

netns_cluster::~netns_cluster() {
  cluster_.reset(); // the nodes go before their links and database
  pg_.reset();
}

child_process& netns_cluster::start(const std::string& role,
                                    const std::string& node_id,
                                    std::vector<std::string> extra) {
  auto addr = net_.add_host(node_id);
  // A fresh link may take a moment to pass traffic: the node starts once
  // its host reaches PostgreSQL (else it would give up at start-up).
  auto probe = "ip netns exec " + net_.exec_prefix(node_id).back()
               + " bash -c 'exec 3<>/dev/tcp/" + net_.root_db_addr() + "/"
               + std::to_string(pg_->port()) + "'";
  if (!eventually([&] { return run(probe); }, std::chrono::seconds{10}))
    throw std::runtime_error("netns: " + node_id + " cannot reach PostgreSQL");
  extra.insert(extra.begin(), {"--bind", addr, "--advertise", addr});
  return cluster_->start_wrapped(net_.exec_prefix(node_id), role, node_id,
                                 std::move(extra));
}

child_process& netns_cluster::start_sim(std::vector<std::string> extra) {
  extra.insert(extra.begin(), {"--bind", net_.root_cluster_addr()});
  return cluster_->start_sim(std::move(extra));
}

child_process& netns_cluster::start_webapp(const std::string& node_id,
                                           std::vector<std::string> extra) {
  extra.insert(extra.begin(), {"--http-port", std::to_string(netns_api_port),
                               "--http-threads", "32"});
  return start("webapp", node_id, std::move(extra));
}

std::string netns_cluster::api(const std::string& node_id) const {
  return net_.cluster_addr(node_id) + ":" + std::to_string(netns_api_port);
}

void netns_cluster::cut_database() {
  // Every host, including those cut otherwise: a host already down stays so.
  for (auto& host : net_.hosts())
    net_.cut(host, netns_net::link::database);
}

void netns_cluster::heal_database() {
  for (auto& host : net_.hosts())
    net_.heal(host, netns_net::link::database);
}

std::string netns_cluster::owner(int shard) const {
  return cluster_->query("SELECT owner FROM shard_map WHERE shard_id = "
                         + std::to_string(shard));
}

} // namespace mc::test
