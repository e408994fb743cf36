// The HTTP front of deploy/up (HAProxy, deploy/front-config) before two
// webapps: slow and idle clients, oversized bodies, floods and a webapp
// stopped under load. Clients use distinct loopback source addresses, since
// the front counts per client address.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support/raw_http.hpp"
#include "support/test_cluster.hpp"
#include "support/test_front.hpp"

using namespace mc::test;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

const std::string admin_password = "Secr3t!pass";

/// A one-shard cluster with two webapps behind a front, the admin password
/// set.
struct front_cluster {
  test_cluster c;
  uint16_t web1 = free_port();
  uint16_t web2 = free_port();
  std::unique_ptr<test_front> front;
  std::string token;

  explicit front_cluster(const std::string& name, int rate_max = 500)
    : c(name) {
    c.start_sim();
    c.start("master", "m1");
    c.start("coreapp", "c1");
    c.start("webapp", "w1",
            {"--http-port", std::to_string(web1), "--http-threads", "32"});
    c.start("webapp", "w2",
            {"--http-port", std::to_string(web2), "--http-threads", "32"});
    front = std::make_unique<test_front>(std::vector<uint16_t>{web1, web2},
                                         rate_max);
    REQUIRE_MESSAGE(c.wait([&] { return c.shard_owned(0); }, 30s), c.logs());
    token = wait_for_admin_token(web1, 20s);
    REQUIRE_MESSAGE(!token.empty(), c.logs());
    REQUIRE_MESSAGE(front->wait_ready(10s), front->log());
    // Both webapps pass the front's health check (rise 2 x 200 ms).
    std::this_thread::sleep_for(600ms);
  }
};

/// Milliseconds since `t0`.
long ms_since(clock_type::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           clock_type::now() - t0)
    .count();
}

/// Streams a chunked body of up to `total` bytes to `port` from `source`
/// and returns the status of the answer (0 if none) and how many body bytes
/// the server took before it answered.
std::pair<int, size_t> chunked_upload(const std::string& source, uint16_t port,
                                      size_t total) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in src{};
  src.sin_family = AF_INET;
  ::inet_pton(AF_INET, source.c_str(), &src.sin_addr);
  ::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof(src));
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(port);
  dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof(dst)) != 0) {
    ::close(fd);
    return {0, 0};
  }
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  std::string head = "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Content-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n";
  ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  std::string chunk = "10000\r\n" + std::string(0x10000, 'a') + "\r\n";
  size_t sent = 0;
  char buf[4096];
  ssize_t n = -1;
  while (sent < total) {
    // Read the answer as soon as it comes: the server closes after it,
    // and a close with our unread chunks may reset the connection.
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 0) > 0) {
      n = ::recv(fd, buf, sizeof(buf) - 1, 0);
      break;
    }
    if (::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL) <= 0)
      break; // the server answered and closed
    sent += 0x10000;
  }
  if (sent >= total)
    ::send(fd, "0\r\n\r\n", 5, MSG_NOSIGNAL);
  if (n < 0)
    n = ::recv(fd, buf, sizeof(buf) - 1, 0);
  ::close(fd);
  int status = 0;
  if (n > 12)
    status = std::atoi(buf + 9);
  return {status, sent};
}

} // namespace

TEST_CASE("front: with 2,000 idle and slowloris connections open, a client "
          "logs in and sends within 1 s, and the front lets go of them") {
  front_cluster fc{"e2e_front_slow"};
  int fds_before = fc.front->open_fds();
  std::vector<long> took;
  long slow_closed = 0;
  {
    slow_client_pool idle{fc.front->port(), 1000, 8,
                          slow_client_pool::kind::idle, 1000ms};
    slow_client_pool slow{fc.front->port(), 1000, 8,
                          slow_client_pool::kind::slowloris, 1000ms};
    REQUIRE(eventually([&] { return idle.open() + slow.open() >= 1950; }, 10s));
    // The front holds them (the webapps have 32 threads each).
    CHECK(fc.front->open_fds() >= fds_before + 1900);
    // Through 7 s, past the 5 s header deadline: one login and one send
    // per second, each from a fresh connection.
    for (int i = 0; i < 7; ++i) {
      auto t0 = clock_type::now();
      raw_http_client cli{"127.2.0.1", fc.front->port()};
      auto login = raw_login(cli, "admin", admin_password, 2000ms);
      auto sent = raw_send(cli, login.token, "1631555" + std::to_string(1000 + i),
                           2000ms);
      took.push_back(ms_since(t0));
      CHECK(login.status == 200);
      CHECK(sent.status == 201);
      MESSAGE("login+send " << took.back() << " ms with " << idle.open()
                            << " idle and " << slow.open()
                            << " slowloris connections open");
      std::this_thread::sleep_for(1000ms - std::min(1000ms, std::chrono::milliseconds{took.back()}));
    }
    // The header deadline (5 s) closed the slowloris connections, which
    // the pool reopened.
    slow_closed = slow.closed_by_server();
  }
  CHECK(*std::max_element(took.begin(), took.end()) < 1000);
  CHECK(slow_closed >= 900);
  // Nothing left behind once the clients go away.
  CHECK(eventually([&] { return fc.front->open_fds() <= fds_before + 20; }, 5s));
}

TEST_CASE("front: chunked bodies over the limit are refused with 413 as they "
          "stream in, and the front and webapps stay under 64 MiB") {
  front_cluster fc{"e2e_front_body"};
  std::atomic<bool> done{false};
  long peak_front = 0, peak_web = 0;
  std::thread sampler{[&] {
    while (!done) {
      peak_front = std::max(peak_front, rss_kib(fc.front->pid()));
      peak_web = std::max({peak_web, rss_kib(fc.c.node("w1").pid()),
                           rss_kib(fc.c.node("w2").pid())});
      std::this_thread::sleep_for(20ms);
    }
  }};
  std::vector<std::pair<int, size_t>> results(4);
  std::vector<std::thread> uploads;
  for (int i = 0; i < 4; ++i)
    uploads.emplace_back([&, i] {
      results[i] = chunked_upload("127.4.0." + std::to_string(i + 1),
                                  fc.front->port(), 64u << 20);
    });
  for (auto& t : uploads)
    t.join();
  done = true;
  sampler.join();
  for (auto& [status, sent] : results) {
    CHECK(status == 413);
    // Refused while it streams: far less than the 64 MiB offered was taken.
    CHECK(sent < (8u << 20));
  }
  MESSAGE("peak RSS: front " << peak_front / 1024 << " MiB, webapps "
                             << peak_web / 1024 << " MiB");
  CHECK(peak_front > 0);
  CHECK(peak_front < 64 * 1024);
  CHECK(peak_web < 64 * 1024);
  // A small chunked body still goes through (the front hands it on with a
  // length), and directly a webapp refuses chunked bodies (411) and an
  // announced body over the limit (413) before reading any of it.
  raw_http_client via_front{"127.4.0.9", fc.front->port()};
  std::string json =
    R"({"to":"16315550001","type":"text","text":{"body":"chunked"}})";
  char size_line[16];
  std::snprintf(size_line, sizeof(size_line), "%zx\r\n", json.size());
  auto small = via_front.send(
    "POST /v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
      + fc.token
      + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked"
        "\r\n\r\n"
      + size_line + json + "\r\n0\r\n\r\n",
    3000ms);
  CHECK(small.status == 201);
  auto direct = chunked_upload("127.4.0.10", fc.web1, 64u << 20);
  CHECK(direct.first == 411);
  CHECK(direct.second < (8u << 20));
  raw_http_client direct_cli{"127.4.0.11", fc.web1};
  auto t0 = clock_type::now();
  auto announced = direct_cli.send(
    "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n",
    3000ms);
  CHECK(announced.status == 413);
  CHECK(announced.body.find("\"code\":1009") != std::string::npos);
  CHECK(ms_since(t0) < 1000);
}

TEST_CASE("front: a flood from one client is answered 429 with code 1015 "
          "while another client's sends keep succeeding") {
  front_cluster fc{"e2e_front_flood"};
  std::atomic<bool> stop{false};
  std::atomic<long> flood_429{0}, flood_1015{0}, flood_other{0};
  std::vector<std::thread> flooders;
  for (int i = 0; i < 4; ++i)
    flooders.emplace_back([&] {
      raw_http_client cli{"127.3.0.1", fc.front->port()};
      auto req = mc::test::http_request_text(
        "GET", "/v1/health", {"Authorization: Bearer " + fc.token}, "");
      while (!stop) {
        auto r = cli.send(req, 2000ms);
        if (r.status == 429) {
          ++flood_429;
          if (r.body.find("\"code\":1015") != std::string::npos)
            ++flood_1015;
        } else {
          ++flood_other;
        }
      }
    });
  std::vector<long> lat;
  int ok = 0;
  raw_http_client other{"127.3.0.2", fc.front->port()};
  for (int i = 0; i < 60; ++i) {
    auto t0 = clock_type::now();
    auto r = raw_send(other, fc.token, "1631556" + std::to_string(1000 + i),
                      2000ms);
    lat.push_back(ms_since(t0));
    ok += r.status == 201;
    std::this_thread::sleep_for(50ms);
  }
  stop = true;
  for (auto& t : flooders)
    t.join();
  std::sort(lat.begin(), lat.end());
  MESSAGE("flood: " << flood_429.load() << " x 429, " << flood_other.load()
                    << " others; other client p50 " << lat[lat.size() / 2]
                    << " ms, max " << lat.back() << " ms");
  CHECK(ok == 60);
  CHECK(flood_429.load() > 1000);
  CHECK(flood_1015.load() == flood_429.load());
  CHECK(lat.back() < 1000);
}

TEST_CASE("front: a webapp stopped with SIGTERM under load fails no request") {
  front_cluster fc{"e2e_front_drain"};
  std::atomic<bool> stop{false};
  std::atomic<long> ok{0};
  std::mutex failures_mtx;
  std::vector<int> failures;
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i)
    clients.emplace_back([&, i] {
      raw_http_client cli{"127.5.0." + std::to_string(i + 1), fc.front->port()};
      for (int n = 0; !stop; ++n) {
        auto r = raw_send(cli, fc.token,
                          "16315" + std::to_string(570000 + i * 10000 + n),
                          5000ms);
        if (r.status == 201) {
          ++ok;
        } else {
          std::lock_guard<std::mutex> guard{failures_mtx};
          failures.push_back(r.status);
        }
        std::this_thread::sleep_for(10ms);
      }
    });
  std::this_thread::sleep_for(1500ms);
  long before_stop = ok.load();
  fc.c.node("w1").signal(SIGTERM);
  CHECK(fc.c.node("w1").wait_exit(10s));
  std::this_thread::sleep_for(1000ms);
  stop = true;
  for (auto& t : clients)
    t.join();
  MESSAGE(ok.load() << " sends answered 201, " << failures.size()
                    << " failed; " << before_stop << " before the stop");
  CHECK(before_stop > 20);
  CHECK(ok.load() > before_stop + 20);
  CHECK(failures.empty());
  CHECK(fc.c.node("w1").log().find("webapp stopped") != std::string::npos);
}
