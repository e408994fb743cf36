#include "actors/webapp/routing_table.hpp"

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>

#include "runtime/log.hpp"
#include "runtime/store/shard_map_store.hpp"

namespace mc {

routing_table::routing_table(caf::actor_system& sys, std::shared_ptr<db_pool> db)
  : sys_(sys), db_(std::move(db)) {
}

int32_t routing_table::shards() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return shards_;
}

std::optional<shard_route> routing_table::route(int32_t shard) const {
  std::lock_guard<std::mutex> guard{mtx_};
  if (shard < 0 || static_cast<size_t>(shard) >= routes_.size()
      || !routes_[shard].node)
    return std::nullopt;
  return routes_[shard];
}

caf::actor routing_table::connect(const std::string& host, uint16_t port) {
  // Through the middleman actor with a timeout: a frozen coreapp accepts
  // the TCP connection but never finishes the handshake.
  caf::scoped_actor self{sys_};
  caf::actor result;
  self->request(sys_.middleman().actor_handle(), std::chrono::seconds{1},
                caf::connect_atom::value, host, port)
    .receive(
      [&](const caf::node_id&, caf::strong_actor_ptr& ptr,
          const std::set<std::string>&) {
        result = caf::actor_cast<caf::actor>(ptr);
      },
      [&](const caf::error&) {});
  return result;
}

bool routing_table::refresh() {
  std::lock_guard<std::mutex> one_at_a_time{refresh_mtx_};
  shard_table table;
  try {
    table = db_->with([](pqxx::connection& c) { return load_shard_table(c); });
  } catch (const std::exception& e) {
    log_error("routing_table", "refresh failed: ", e.what());
    return false;
  }
  std::vector<shard_route> routes;
  routes.reserve(table.slots.size());
  for (auto& slot : table.slots) {
    shard_route r{slot.shard_id, slot.epoch, slot.owner, {}};
    if (!slot.owner.empty()) {
      auto& p = peers_[slot.owner];
      if (p.host != slot.host || p.port != slot.caf_port || !p.handle) {
        p.host = slot.host;
        p.port = slot.caf_port;
        p.handle = connect(slot.host, static_cast<uint16_t>(slot.caf_port));
      }
      r.node = p.handle;
    }
    routes.push_back(std::move(r));
  }
  std::lock_guard<std::mutex> guard{mtx_};
  shards_ = table.shards;
  routes_ = std::move(routes);
  last_refresh_ = std::chrono::steady_clock::now();
  return true;
}

void routing_table::refresh_if_older(std::chrono::milliseconds min_age) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (std::chrono::steady_clock::now() - last_refresh_ < min_age)
      return;
  }
  refresh();
}

void routing_table::drop_connection(const std::string& owner) {
  std::lock_guard<std::mutex> one_at_a_time{refresh_mtx_};
  auto i = peers_.find(owner);
  if (i != peers_.end())
    i->second.handle = nullptr;
}

} // namespace mc
