#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace mc::test {

/// One HTTP answer as a raw client saw it; status 0 when none came.
struct raw_reply {
  int status = 0;
  std::string body;
  /// The server said it closes the connection after this answer.
  bool closing = false;
};

/// The text of one HTTP/1.1 request to 127.0.0.1 with a Content-Length body
/// (none when `body` is empty and `method` is GET).
std::string http_request_text(const std::string& method,
                              const std::string& path,
                              const std::vector<std::string>& headers,
                              const std::string& body);

/// A keep-alive HTTP/1.1 client connection from a chosen loopback source
/// address (127.x.y.z), so that a front that counts per client address sees
/// distinct clients on one machine. Reconnects when the server closed.
class raw_http_client {
public:
  raw_http_client(std::string source, uint16_t port);
  ~raw_http_client();
  raw_http_client(const raw_http_client&) = delete;
  raw_http_client& operator=(const raw_http_client&) = delete;

  /// Sends `request_text` and reads one answer within `timeout`.
  raw_reply send(const std::string& request_text,
                 std::chrono::milliseconds timeout);

private:
  bool ensure_connected(std::chrono::milliseconds timeout);
  void close_fd();

  std::string source_;
  uint16_t port_;
  int fd_ = -1;
  std::string buffered_;
};

/// The basic-auth login of `user`:`password` from `source`; the token, or ""
/// with the status in `status` .
struct login_result {
  int status = 0;
  std::string token;
};
login_result raw_login(raw_http_client& cli, const std::string& user,
                       const std::string& password,
                       std::chrono::milliseconds timeout);

/// POST /v1/messages of one text message with `token`.
raw_reply raw_send(raw_http_client& cli, const std::string& token,
                   const std::string& to, std::chrono::milliseconds timeout);

/// Holds many connections open against 127.0.0.1:port from `sources`
/// loopback addresses (127.1.a.b), as idle clients (connect, send nothing)
/// or slowloris clients (a request line, then one header line every
/// `interval`, never the end of the headers). A connection the server
/// closes is opened again, as an attacker would. Runs on its own thread.
class slow_client_pool {
public:
  enum class kind { idle, slowloris };

  slow_client_pool(uint16_t port, int connections, int sources, kind k,
                   std::chrono::milliseconds interval);
  ~slow_client_pool();
  slow_client_pool(const slow_client_pool&) = delete;
  slow_client_pool& operator=(const slow_client_pool&) = delete;

  /// Connections open right now.
  int open() const { return open_.load(); }
  /// Connections the server closed so far.
  long closed_by_server() const { return closed_.load(); }
  /// Connection attempts that failed.
  long failed() const { return failed_.load(); }

private:
  void run();

  uint16_t port_;
  int connections_;
  int sources_;
  kind kind_;
  std::chrono::milliseconds interval_;
  std::atomic<bool> stop_{false};
  std::atomic<int> open_{0};
  std::atomic<long> closed_{0};
  std::atomic<long> failed_{0};
  std::thread thread_;
};

/// Resident memory of process `pid` in KiB (VmRSS), 0 if unknown.
long rss_kib(int pid);

} // namespace mc::test
