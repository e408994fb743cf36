// Measures the upstream simulator's own ceiling: how many messages per second
// one simulator actor accepts, logs, acks and sends receipts for, with shard
// actors in the same process (no network). Usage:
//   upstream_sim_bench [shards=8] [messages=400000] [batch=200] [window=4]

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>

#include "actors/lifecycle.hpp"
#include "actors/protocol/register.hpp"
#include "actors/protocol/upstream.hpp"
#include "actors/sim/upstream_sim.hpp"

using namespace mc;

namespace {

struct bench_config : caf::actor_system_config {
  bench_config() {
    register_protocol(*this);
  }
};

struct shard_state {
  int64_t next = 0;
  int64_t acked = 0;
  int64_t receipts = 0;
  static inline const char* name = "bench_shard";
};

/// Logs in, then keeps `window` batches in flight until `quota` are acked.
caf::behavior bench_shard(caf::stateful_actor<shard_state>* self,
                          upstream_sim_actor sim, int32_t shard,
                          int32_t shards,
                          int64_t quota, int batch, int window,
                          std::shared_ptr<std::atomic<int64_t>> done) {
  auto send_one = std::make_shared<std::function<void()>>();
  *send_one = [=] {
    auto& st = self->state;
    if (st.next >= quota)
      return;
    std::vector<upstream_message> xs;
    for (int i = 0; i < batch && st.next < quota; ++i, ++st.next)
      xs.push_back(upstream_message{"s" + std::to_string(shard) + "-"
                                      + std::to_string(st.next),
                                    "1631555" + std::to_string(st.next % 9999),
                                    "body"});
    self->request(sim, caf::infinite, submit_atom::value, std::string{"bench"},
                  shard, int64_t{1}, std::move(xs))
      .then(
        [=](const std::vector<std::string>& ids) {
          self->state.acked += static_cast<int64_t>(ids.size());
          if (self->state.acked >= quota)
            ++*done;
          (*send_one)();
        },
        [=](caf::error& err) {
          std::fprintf(stderr, "submit failed: %s\n",
                       self->system().render(err).c_str());
          std::exit(1);
        });
  };
  self->request(sim, caf::infinite, login_atom::value, std::string{"bench"},
                shard, int64_t{1}, shards,
                caf::actor_cast<upstream_owner_actor>(self))
    .then([=](caf::ok_atom) {
      for (int i = 0; i < window; ++i)
        (*send_one)();
    });
  return {
    [=](receipt_atom, int32_t, int64_t,
        const std::vector<upstream_receipt>& xs) {
      self->state.receipts += static_cast<int64_t>(xs.size());
      return caf::ok_atom::value;
    },
    [=](kicked_atom, int32_t, int64_t) {
      std::fprintf(stderr, "session kicked\n");
      std::exit(1);
    },
    [=](inbound_atom, int32_t, int64_t, const std::vector<inbound_message>&) {
      return caf::ok_atom::value;
    },
    [=](stop_atom) { self->quit(); },
  };
}

} // namespace

int main(int argc, char** argv) {
  int shards = argc > 1 ? std::atoi(argv[1]) : 8;
  int64_t messages = argc > 2 ? std::atoll(argv[2]) : 400000;
  int batch = argc > 3 ? std::atoi(argv[3]) : 200;
  int window = argc > 4 ? std::atoi(argv[4]) : 4;
  bench_config cfg;
  caf::actor_system sys{cfg};
  sim_config sc;
  sc.latency_ms = 1;
  sc.delivered_ms = 50;
  sc.read_ms = 100;
  auto ledger = std::make_shared<sim_ledger>(static_cast<size_t>(messages));
  auto sim = sys.spawn(upstream_sim, sc, ledger);
  auto done = std::make_shared<std::atomic<int64_t>>(0);
  auto t0 = std::chrono::steady_clock::now();
  std::vector<caf::actor> owners;
  for (int32_t s = 0; s < shards; ++s)
    owners.push_back(sys.spawn(bench_shard, sim, s, shards, messages / shards,
                               batch, window, done));
  // Bounded wait: at most 120 s.
  for (int i = 0; i < 120000 && *done < shards; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
  auto t1 = std::chrono::steady_clock::now();
  auto secs = std::chrono::duration<double>(t1 - t0).count();
  auto stats = ledger->stats();
  std::printf("shards=%d batch=%d window=%d accepted=%llu in %.3f s: "
              "%.0f msg/s\n",
              shards, batch, window,
              static_cast<unsigned long long>(stats.accepted), secs,
              static_cast<double>(stats.accepted) / secs);
  // Let receipts drain, then report them.
  std::this_thread::sleep_for(std::chrono::milliseconds{300});
  std::printf("receipts sent=%llu (expected %llu)\n",
              static_cast<unsigned long long>(ledger->stats().receipts),
              static_cast<unsigned long long>(2 * stats.accepted));
  caf::anon_send(sim, stop_atom::value);
  for (auto& o : owners)
    caf::anon_send(o, stop_atom::value);
  caf::anon_send_exit(sim, caf::exit_reason::user_shutdown);
  return *done == shards ? 0 : 1;
}
