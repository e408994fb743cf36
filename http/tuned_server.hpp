#pragma once

/// Run-time tuning for cpp-httplib servers.
///
/// Debian ships cpp-httplib 0.11 as a compiled library, so its CPPHTTPLIB_*
/// macros are fixed at 8 pool threads, 5 requests per keep-alive connection,
/// Nagle on and a listen backlog of 5: about 300 req/s with 1 s tails. Every
/// HTTP server in the project (webapp, upstream-sim query API, benchmarks)
/// binds through `bind_tuned` so that it gets the run-time fixes instead.

#include <cstddef>
#include <string>

#include <functional>

#include <httplib.h>

namespace mc::http {

/// Knobs applied by `bind_tuned`.
struct server_tuning {
  /// Pool threads. Each keep-alive connection holds one, so size this for the
  /// number of concurrent client connections.
  int threads = 192;
  /// Listen backlog (the kernel caps it at net.core.somaxconn).
  int backlog = 1024;
  /// Requests served on one keep-alive connection before it is closed.
  size_t keep_alive_max = 10000;
  /// Largest accepted request body in bytes. A larger Content-Length is
  /// answered 413 before any of the body is read; a body without a length
  /// (Transfer-Encoding) is answered 411: httplib 0.11 buffers chunked
  /// bodies whole, whatever the limit.
  size_t payload_max = 64 * 1024;
  /// Most header fields in one request (431 beyond). httplib itself limits
  /// a header line to 8192 bytes (400).
  size_t header_count_max = 100;
  /// Each read or write of a request must progress within this many
  /// seconds. httplib has no deadline for a whole request, so a client that
  /// sends one header line every few seconds is only stopped by the front.
  int read_timeout_s = 5;
  /// An idle keep-alive connection (which holds a pool thread) is closed
  /// after this many seconds; stop() also waits for idle connections that
  /// long. The front reopens the idle connections a webapp closed, and
  /// resends a request that met a closing one (retry-on empty-response).
  int keep_alive_timeout_s = 2;
  /// Runs after the request guard passed a request, before its route is
  /// matched (httplib keeps one pre-routing handler, so the server's own
  /// normalisation is chained here instead of replacing the guard).
  std::function<httplib::Server::HandlerResponse(const httplib::Request&,
                                                 httplib::Response&)>
      pre_routing;
};

/// Applies the tuning (thread pool through new_task_queue, keep-alive count,
/// TCP_NODELAY, payload limit, timeouts, the request guard of
/// `request_guard.hpp` as the pre-routing handler) and binds; returns the
/// bound port (0 on failure). `port` 0 picks a free port.
int bind_tuned(httplib::Server& srv, const std::string& host, int port,
               const server_tuning& t);

/// Runs the accept loop (blocks until srv.stop()).
///
/// httplib 0.11 ignores a stop() that comes before the loop has started, so
/// a caller that may stop early must first wait for `srv.is_running()`.
bool listen_tuned(httplib::Server& srv);

/// Raises the backlog of every listening TCP socket of this process bound to
/// `port`; returns how many sockets were changed. Used by `bind_tuned`.
int raise_listen_backlog(int port, int backlog);

} // namespace mc::http
