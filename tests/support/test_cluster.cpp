#include "support/test_cluster.hpp"

#include <cstdlib>
#include <doctest/doctest.h>
#include <httplib.h>
#include <pqxx/pqxx>
#include <rapidjson/document.h>
#include <unistd.h>

namespace mc::test {

test_cluster::test_cluster(const std::string& name) : db_(name) {
  char tmpl[] = "/tmp/mc-e2e-XXXXXX";
  dir_ = ::mkdtemp(tmpl);
}

test_cluster::test_cluster(const std::string& name,
                           const std::string& pg_base)
  : db_(name, pg_base) {
  char tmpl[] = "/tmp/mc-e2e-XXXXXX";
  dir_ = ::mkdtemp(tmpl);
}

test_cluster::~test_cluster() {
  nodes_.clear(); // SIGKILL and reap every node before the database goes
  if (std::getenv("MC_KEEP_LOGS") == nullptr)
    std::system(("rm -rf " + dir_).c_str());
}

bool issue_certs(const std::string& dir, const std::vector<std::string>& names,
                 const std::string& extra) {
  auto cmd = std::string{MC_SOURCE_DIR} + "/deploy/ca " + dir;
  for (auto& n : names)
    cmd += " " + n;
  cmd += " " + extra + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

void test_cluster::use_tls() {
  tls_dir_ = dir_ + "/tls";
  REQUIRE(issue_certs(tls_dir_, {}));
}

child_process& test_cluster::start(const std::string& role,
                                   const std::string& node_id,
                                   std::vector<std::string> extra) {
  return start_wrapped({}, role, node_id, std::move(extra));
}

child_process& test_cluster::start_wrapped(
  const std::vector<std::string>& wrapper, const std::string& role,
  const std::string& node_id, std::vector<std::string> extra) {
  std::vector<std::string> argv{wrapper};
  argv.insert(argv.end(), {multiconnect_binary(), "--role", role,
                           "--node-id", node_id, "--db", db_.uri()});
  if (!tls_dir_.empty()) {
    REQUIRE(issue_certs(tls_dir_, {node_id}));
    for (auto [flag, file] : {std::pair{"--tls-cert", ".crt"},
                              std::pair{"--tls-key", ".key"}})
      argv.insert(argv.end(), {flag, tls_dir_ + "/" + node_id + file});
    argv.insert(argv.end(), {"--tls-ca", tls_dir_ + "/ca.crt"});
  }
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv_[node_id] = argv;
  return restart(node_id);
}

child_process& test_cluster::restart(const std::string& node_id) {
  nodes_.erase(node_id);
  // Appended, so a restarted node's log keeps what it wrote before.
  auto log = dir_ + "/" + node_id + ".log";
  auto p = std::make_unique<child_process>(argv_.at(node_id), log, true);
  auto& ref = *p;
  nodes_[node_id] = std::move(p);
  return ref;
}

bool test_cluster::set_initial_shards(int shards,
                                      std::chrono::milliseconds timeout) {
  if (!wait([&] {
        return !query("SELECT to_regclass('public.cluster_status')").empty();
      }, timeout))
    return false;
  try {
    pqxx::connection c{db_.uri()};
    pqxx::work tx{c};
    auto set = tx.exec_params1("SELECT mc_set_initial_shards($1)", shards)[0]
                 .as<bool>();
    tx.commit();
    return set;
  } catch (const std::exception&) {
    return false;
  }
}

child_process& test_cluster::start_sim(std::vector<std::string> extra) {
  sim_http_port_ = free_port();
  extra.push_back("--http-port");
  extra.push_back(std::to_string(sim_http_port_));
  return start("upstream-sim", "sim", extra);
}

child_process& test_cluster::start_webapp(const std::string& node_id,
                                          std::vector<std::string> extra) {
  http_port_ = free_port();
  std::vector<std::string> flags{"--http-port", std::to_string(http_port_),
                                 "--http-threads", "32"};
  flags.insert(flags.end(), extra.begin(), extra.end());
  return start("webapp", node_id, flags);
}

void test_cluster::kill(const std::string& node_id) {
  nodes_.erase(node_id);
}

std::string test_cluster::query(const std::string& sql) const {
  try {
    pqxx::connection c{db_.uri()};
    pqxx::read_transaction tx{c};
    auto r = tx.exec(sql);
    if (r.empty() || r[0][0].is_null())
      return {};
    return r[0][0].as<std::string>();
  } catch (const std::exception&) {
    return {}; // e.g. the schema is not there yet
  }
}

bool test_cluster::execute(const std::string& sql) const {
  try {
    pqxx::connection c{db_.uri()};
    pqxx::work tx{c};
    tx.exec(sql);
    tx.commit();
    return true;
  } catch (const std::exception& e) {
    MESSAGE("SQL failed: " << e.what());
    return false;
  }
}

bool test_cluster::shard_owned(int shard) const {
  return !query("SELECT owner FROM shard_map WHERE shard_id = "
                + std::to_string(shard))
            .empty();
}

std::string test_cluster::lease_holder() const {
  return query("SELECT holder FROM master_lease "
               "WHERE id = 1 AND expires_at > now()");
}

std::string test_cluster::logs() const {
  std::string out;
  for (auto& [id, p] : nodes_) {
    auto log = p->log();
    if (log.size() > 4000)
      log = log.substr(log.size() - 4000);
    out += "---- " + id + " ----\n" + log;
  }
  return out;
}

std::string admin_token(uint16_t http_port, const std::string& host) {
  httplib::Client cli{host, http_port};
  cli.set_basic_auth("admin", "secret");
  auto res = cli.Post("/v1/users/login", R"({"new_password":"Secr3t!pass"})",
                      "application/json");
  if (!res || res->status != 200)
    return {};
  rapidjson::Document doc;
  doc.Parse(res->body.c_str());
  if (!doc.IsObject() || !doc.HasMember("users"))
    return {};
  return doc["users"][0]["token"].GetString();
}

std::string wait_for_admin_token(uint16_t http_port,
                                 std::chrono::milliseconds timeout,
                                 const std::string& host) {
  std::string token;
  eventually(
    [&] {
      token = admin_token(http_port, host);
      return !token.empty();
    },
    timeout);
  return token;
}

} // namespace mc::test
