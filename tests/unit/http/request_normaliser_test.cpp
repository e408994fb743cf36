#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include "http/request_normaliser.hpp"
#include "http/tuned_server.hpp"

using namespace mc::http;

namespace {

/// A tuned server (request guard, then the normaliser, as the webapp binds
/// it) with two routes that echo what they saw.
struct normalised_server {
  httplib::Server srv;
  std::thread thread;
  int port = 0;

  normalised_server() {
    srv.Post("/v1/messages",
             [](const httplib::Request& req, httplib::Response& res) {
               res.set_content("post:" + std::to_string(req.body.size()) + ":"
                                   + req.body,
                               "text/plain");
             });
    srv.Get("/v1/health", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("health", "text/plain");
    });
    server_tuning t;
    t.threads = 4;
    t.read_timeout_s = 3;
    t.pre_routing = request_normaliser::apply;
    port = bind_tuned(srv, "127.0.0.1", 0, t);
    REQUIRE(port > 0);
    thread = std::thread{[this] {
      srv.listen_after_bind();
    }};
    for (int i = 0; i < 2000 && !srv.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds{1});
  }

  ~normalised_server() {
    srv.stop();
    thread.join();
  }

  /// Sends `raw` on a new connection and returns everything answered.
  std::string raw_exchange(const std::string& raw) const {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr)
            == 0);
    REQUIRE(::write(fd, raw.data(), raw.size())
            == static_cast<ssize_t>(raw.size()));
    std::string out;
    char buf[4096];
    ssize_t n;
    // Connection: close makes the server end the exchange after answering.
    while ((n = ::read(fd, buf, sizeof buf)) > 0)
      out.append(buf, static_cast<size_t>(n));
    ::close(fd);
    return out;
  }
};

} // namespace

TEST_CASE("route paths lose their trailing slashes") {
  CHECK(request_normaliser::route_path("/v1/messages/") == "/v1/messages");
  CHECK(request_normaliser::route_path("/v1/messages//") == "/v1/messages");
  CHECK(request_normaliser::route_path("/v1/messages") == "/v1/messages");
  CHECK(request_normaliser::route_path("/") == "/");
}

TEST_CASE("every route answers with a trailing slash too") {
  normalised_server s;
  httplib::Client cli{"127.0.0.1", s.port};
  auto a = cli.Get("/v1/health/");
  REQUIRE(a);
  CHECK(a->status == 200);
  CHECK(a->body == "health");
  auto b = cli.Post("/v1/messages/", "{}", "application/json");
  REQUIRE(b);
  CHECK(b->status == 200);
  CHECK(b->body == "post:2:{}");
  CHECK(cli.Get("/v1/nothing/")->status == 404);
}

TEST_CASE("a POST without Content-Length has an empty body, answered at once") {
  normalised_server s;
  auto start = std::chrono::steady_clock::now();
  // What `curl -X POST URL` sends: no Content-Length, no body.
  auto answer = s.raw_exchange("POST /v1/messages HTTP/1.1\r\nHost: x\r\n"
                               "Connection: close\r\n\r\n");
  auto took = std::chrono::steady_clock::now() - start;
  CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(answer.find("post:0:") != std::string::npos);
  // Without the normaliser the server waits for the body until its read
  // timeout (3 s here) and answers 400.
  CHECK(took < std::chrono::milliseconds{1500});
  // A body with its length still arrives whole.
  answer = s.raw_exchange("POST /v1/messages/ HTTP/1.1\r\nHost: x\r\n"
                          "Connection: close\r\nContent-Length: 3\r\n\r\nabc");
  CHECK(answer.find("post:3:abc") != std::string::npos);
}
