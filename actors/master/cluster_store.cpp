#include "actors/master/cluster_store.hpp"

#include <pqxx/pqxx>

#include "runtime/db_pool.hpp"

namespace mc {

pg_cluster_store::pg_cluster_store(std::string db_uri)
  : db_(std::move(db_uri)) {
}

pg_cluster_store::~pg_cluster_store() = default;

pqxx::connection& pg_cluster_store::conn() {
  return db_.get();
}

std::vector<node_record>
pg_cluster_store::coreapps(std::chrono::milliseconds unhealthy) {
  return list_nodes(conn(), role::coreapp, unhealthy);
}

std::vector<node_record>
pg_cluster_store::webapps(std::chrono::milliseconds unhealthy) {
  return list_nodes(conn(), role::webapp, unhealthy);
}

shard_table pg_cluster_store::load_table() {
  return load_shard_table(conn());
}

int pg_cluster_store::ensure_shard_rows() {
  return mc::ensure_shard_rows(conn());
}

std::optional<int64_t>
pg_cluster_store::cas_owner(int32_t shard, int64_t expected_epoch,
                            const std::string& owner, const std::string& master,
                            int64_t master_epoch) {
  return cas_shard_owner(conn(), shard, expected_epoch, owner, master,
                         master_epoch);
}

std::optional<int32_t> pg_cluster_store::pending_reshard() {
  return mc::pending_reshard(conn());
}

bool pg_cluster_store::commit_reshard(int32_t shards, const std::string& master,
                                      int64_t master_epoch) {
  return mc::commit_reshard(conn(), shards, master, master_epoch);
}

std::string pg_cluster_store::account() {
  return load_account(conn());
}

void pg_cluster_store::reset() {
  db_.reset();
}

} // namespace mc
