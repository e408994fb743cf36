#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <chrono>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "http/tuned_server.hpp"

using namespace mc::http;
using namespace std::chrono_literals;

namespace {

/// A tuned server with a 1 KiB body limit on a free port, echoing the size
/// of what it was posted.
struct guarded_server {
  httplib::Server srv;
  std::thread thread;
  int port = 0;

  guarded_server() {
    srv.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(std::to_string(req.body.size()), "text/plain");
    });
    server_tuning t;
    t.threads = 8;
    t.payload_max = 1024;
    port = bind_tuned(srv, "127.0.0.1", 0, t);
    thread = std::thread([this] { listen_tuned(srv); });
    for (int i = 0; i < 500 && !srv.is_running(); ++i)
      std::this_thread::sleep_for(2ms);
  }

  ~guarded_server() {
    srv.stop();
    thread.join();
  }
};

/// What the server sent on one connection after `request` until it closed
/// the connection (or 3 s passed), and whether it closed it.
struct exchange {
  std::string answer;
  bool closed = false;
};

exchange talk(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  exchange out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return out;
  }
  timeval tv{3, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  char buf[4096];
  for (;;) {
    auto n = ::recv(fd, buf, sizeof(buf), 0);
    if (n > 0) {
      out.answer.append(buf, static_cast<size_t>(n));
      continue;
    }
    out.closed = n == 0 || errno == ECONNRESET;
    break;
  }
  ::close(fd);
  return out;
}

} // namespace

TEST_CASE("request guard: a Content-Length over the limit is answered 413 at "
          "once and the connection closed, without waiting for the body") {
  guarded_server server;
  REQUIRE(server.port > 0);
  auto t0 = std::chrono::steady_clock::now();
  auto ex = talk(server.port, "POST /echo HTTP/1.1\r\nHost: x\r\n"
                              "Content-Length: 10000000\r\n\r\n");
  CHECK(std::chrono::steady_clock::now() - t0 < 1s);
  CHECK(ex.answer.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(ex.answer.find("\"code\":1009") != std::string::npos);
  CHECK(ex.closed);
}

TEST_CASE("request guard: a chunked body is answered 411 and never read") {
  guarded_server server;
  auto ex = talk(server.port, "POST /echo HTTP/1.1\r\nHost: x\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n"
                              "10\r\n0123456789abcdef\r\n");
  CHECK(ex.answer.rfind("HTTP/1.1 411", 0) == 0);
  CHECK(ex.answer.find("Transfer-Encoding is not accepted") != std::string::npos);
  CHECK(ex.closed);
}

TEST_CASE("request guard: more than 100 header fields are answered 431") {
  guarded_server server;
  std::string req = "POST /echo HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 150; ++i)
    req += "X-H" + std::to_string(i) + ": v\r\n";
  req += "Content-Length: 0\r\n\r\n";
  auto ex = talk(server.port, req);
  CHECK(ex.answer.rfind("HTTP/1.1 431", 0) == 0);
  CHECK(ex.answer.find("more than 100 header fields") != std::string::npos);
}

TEST_CASE("request guard: a body within the limit is served, and the "
          "connection stays open for the next request") {
  guarded_server server;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server.port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  timeval tv{3, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  auto ask = [&](const std::string& body) {
    std::string req = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: "
                      + std::to_string(body.size()) + "\r\n\r\n" + body;
    ::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
    std::string answer;
    char buf[4096];
    auto want = "\r\n\r\n" + std::to_string(body.size());
    while (answer.find(want) == std::string::npos) {
      auto n = ::recv(fd, buf, sizeof(buf), 0);
      if (n <= 0)
        break;
      answer.append(buf, static_cast<size_t>(n));
    }
    return answer;
  };
  auto first = ask(std::string(1000, 'a'));
  CHECK(first.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(first.find("\r\n\r\n1000") != std::string::npos);
  auto second = ask("abc");
  CHECK(second.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(second.find("\r\n\r\n3") != std::string::npos);
  ::close(fd);
}
