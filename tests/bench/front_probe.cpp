// The client side of tests/bench/front-bench: holds idle and slowloris
// connections while probing login + send once a second, or sends at a
// fixed rate from one client address and reports statuses and latencies.
//
//   front_probe hold --port P --password PW [--idle N] [--slowloris N]
//                    [--sources K] [--duration S]
//   front_probe rate --port P --password PW --source IP --rate R
//                    [--connections C] [--duration S] [--label L]
//
// Every client binds a loopback source address (127.x.y.z) of its own, so
// the front sees the pool, the probe and each rate client as different
// clients. Output: one line per second (hold) or one summary line (rate).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/raw_http.hpp"

using namespace mc::test;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

struct args {
  std::string mode;
  int port = 9090;
  std::string user = "admin";
  std::string password;
  int idle = 0;
  int slowloris = 0;
  int sources = 40;
  int duration = 30;
  std::string source = "127.3.0.1";
  int rate = 100;
  int connections = 8;
  std::string label = "rate";
};

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: front_probe hold --port P --password PW [--idle N] "
               "[--slowloris N] [--sources K] [--duration S]\n"
               "       front_probe rate --port P --password PW --source IP "
               "--rate R [--connections C] [--duration S] [--label L]\n");
  std::exit(2);
}

args parse(int argc, char** argv) {
  if (argc < 2)
    usage();
  args a;
  a.mode = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string k = argv[i];
    if (i + 1 >= argc)
      usage();
    std::string v = argv[++i];
    if (k == "--port") a.port = std::atoi(v.c_str());
    else if (k == "--user") a.user = v;
    else if (k == "--password") a.password = v;
    else if (k == "--idle") a.idle = std::atoi(v.c_str());
    else if (k == "--slowloris") a.slowloris = std::atoi(v.c_str());
    else if (k == "--sources") a.sources = std::atoi(v.c_str());
    else if (k == "--duration") a.duration = std::atoi(v.c_str());
    else if (k == "--source") a.source = v;
    else if (k == "--rate") a.rate = std::atoi(v.c_str());
    else if (k == "--connections") a.connections = std::atoi(v.c_str());
    else if (k == "--label") a.label = v;
    else usage();
  }
  if ((a.mode != "hold" && a.mode != "rate") || a.password.empty())
    usage();
  return a;
}

long ms_since(clock_type::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           clock_type::now() - t0)
    .count();
}

double us_since(clock_type::time_point t0) {
  return std::chrono::duration<double, std::micro>(clock_type::now() - t0)
    .count();
}

/// hold: the pools, and a login + send from a fresh connection each second.
int run_hold(const args& a) {
  std::unique_ptr<slow_client_pool> idle, slow;
  if (a.idle > 0)
    idle = std::make_unique<slow_client_pool>(
      static_cast<uint16_t>(a.port), a.idle, a.sources / 2 + 1,
      slow_client_pool::kind::idle, 1000ms);
  if (a.slowloris > 0)
    slow = std::make_unique<slow_client_pool>(
      static_cast<uint16_t>(a.port), a.slowloris, a.sources / 2 + 1,
      slow_client_pool::kind::slowloris, 1000ms);
  int worst = 0, over_1s = 0, failed = 0, probes = 0;
  auto start = clock_type::now();
  for (int s = 1; s <= a.duration; ++s) {
    auto t0 = clock_type::now();
    raw_http_client cli{"127.2.0.1", static_cast<uint16_t>(a.port)};
    auto login = raw_login(cli, a.user, a.password, 5000ms);
    long login_ms = ms_since(t0);
    auto sent = raw_send(cli, login.token,
                         "1631558" + std::to_string(1000 + s % 9000), 5000ms);
    long total_ms = ms_since(t0);
    ++probes;
    worst = std::max(worst, static_cast<int>(total_ms));
    over_1s += total_ms >= 1000;
    failed += login.status != 200 || sent.status != 201;
    std::printf("t=%3lds idle_open=%5d slowloris_open=%5d closed_by_front=%6ld "
                "login=%d %4ld ms  send=%d %4ld ms  login+send %4ld ms\n",
                static_cast<long>(ms_since(start) / 1000),
                idle ? idle->open() : 0, slow ? slow->open() : 0,
                (idle ? idle->closed_by_server() : 0)
                  + (slow ? slow->closed_by_server() : 0),
                login.status, login_ms, sent.status, total_ms - login_ms,
                total_ms);
    std::fflush(stdout);
    auto next = start + std::chrono::seconds{s};
    std::this_thread::sleep_until(next);
  }
  std::printf("summary: %d probes, worst login+send %d ms, %d at or over "
              "1 s, %d failed\n",
              probes, worst, over_1s, failed);
  return over_1s == 0 && failed == 0 ? 0 : 1;
}

/// rate: R requests per second spread over C keep-alive connections.
int run_rate(const args& a) {
  raw_http_client login_cli{a.source, static_cast<uint16_t>(a.port)};
  auto login = raw_login(login_cli, a.user, a.password, 5000ms);
  if (login.token.empty()) {
    std::fprintf(stderr, "front_probe: login failed (%d)\n", login.status);
    return 1;
  }
  std::mutex mtx;
  std::map<int, long> statuses;
  long code_1015 = 0;
  std::vector<double> lat_us;
  std::vector<std::thread> threads;
  auto start = clock_type::now();
  auto end = start + std::chrono::seconds{a.duration};
  for (int c = 0; c < a.connections; ++c)
    threads.emplace_back([&, c] {
      raw_http_client cli{a.source, static_cast<uint16_t>(a.port)};
      auto gap = std::chrono::duration<double>(
        static_cast<double>(a.connections) / a.rate);
      auto next = start + std::chrono::duration_cast<clock_type::duration>(
                            gap * (static_cast<double>(c) / a.connections));
      std::map<int, long> mine;
      long mine_1015 = 0;
      std::vector<double> mine_lat;
      for (long n = 0; clock_type::now() < end; ++n) {
        std::this_thread::sleep_until(next);
        next += std::chrono::duration_cast<clock_type::duration>(gap);
        auto t0 = clock_type::now();
        auto r = raw_send(cli, login.token,
                          "16315" + std::to_string(600000 + c * 1000 + n % 1000),
                          5000ms);
        mine_lat.push_back(us_since(t0));
        ++mine[r.status];
        mine_1015 += r.body.find("\"code\":1015") != std::string::npos;
      }
      std::lock_guard<std::mutex> guard{mtx};
      for (auto& [k, v] : mine)
        statuses[k] += v;
      code_1015 += mine_1015;
      lat_us.insert(lat_us.end(), mine_lat.begin(), mine_lat.end());
    });
  for (auto& t : threads)
    t.join();
  std::sort(lat_us.begin(), lat_us.end());
  auto pct = [&](double p) {
    if (lat_us.empty())
      return 0.0;
    return lat_us[std::min(lat_us.size() - 1,
                           static_cast<size_t>(p * lat_us.size()))]
           / 1000.0;
  };
  std::printf("%s: source %s, %ld requests in %d s (%d/s asked), statuses:",
              a.label.c_str(), a.source.c_str(),
              static_cast<long>(lat_us.size()), a.duration, a.rate);
  for (auto& [k, v] : statuses)
    std::printf(" %d x %ld", k, v);
  std::printf(", code 1015 x %ld, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
              code_1015, pct(0.5), pct(0.99),
              lat_us.empty() ? 0.0 : lat_us.back() / 1000.0);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  auto a = parse(argc, argv);
  return a.mode == "hold" ? run_hold(a) : run_rate(a);
}
