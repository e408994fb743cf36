#include "http/tuned_server.hpp"

#include "http/request_guard.hpp"

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <vector>

namespace mc::http {

namespace {

/// True when `fd` is a listening TCP socket whose local port is `port`.
bool is_listener_on(int fd, int port) {
  int type = 0;
  socklen_t len = sizeof(type);
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0
      || type != SOCK_STREAM)
    return false;
  int accepting = 0;
  len = sizeof(accepting);
  if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) != 0
      || accepting == 0)
    return false;
  sockaddr_storage addr{};
  len = sizeof(addr);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    return false;
  if (addr.ss_family == AF_INET)
    return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port) == port;
  if (addr.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port) == port;
  return false;
}

/// The open file descriptors of this process, from /proc/self/fd, or the
/// range 0..4095 when /proc is not mounted.
std::vector<int> open_fds() {
  std::vector<int> fds;
  if (DIR* dir = ::opendir("/proc/self/fd")) {
    while (dirent* entry = ::readdir(dir)) {
      if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
        continue;
      fds.push_back(std::atoi(entry->d_name));
    }
    ::closedir(dir);
    return fds;
  }
  for (int fd = 0; fd < 4096; ++fd)
    fds.push_back(fd);
  return fds;
}

} // namespace

int raise_listen_backlog(int port, int backlog) {
  int raised = 0;
  for (int fd : open_fds()) {
    // Calling listen() again on a socket that already listens only updates
    // its accept-queue length on Linux, so this is safe on a live server.
    if (is_listener_on(fd, port) && ::listen(fd, backlog) == 0)
      ++raised;
  }
  return raised;
}

int bind_tuned(httplib::Server& srv, const std::string& host, int port,
               const server_tuning& t) {
  const size_t threads = t.threads > 0 ? static_cast<size_t>(t.threads) : 1;
  srv.new_task_queue = [threads] {
    return new httplib::ThreadPool(threads);
  };
  srv.set_keep_alive_max_count(t.keep_alive_max);
  srv.set_keep_alive_timeout(t.keep_alive_timeout_s);
  srv.set_read_timeout(t.read_timeout_s, 0);
  srv.set_write_timeout(t.read_timeout_s, 0);
  srv.set_payload_max_length(t.payload_max);
  srv.set_pre_routing_handler(
      [guard = request_guard{t.payload_max, t.header_count_max},
       next = t.pre_routing](const httplib::Request& req,
                             httplib::Response& res) {
        auto r = guard(req, res);
        if (r == httplib::Server::HandlerResponse::Unhandled && next)
          return next(req, res);
        return r;
      });
  // Nagle plus the client's delayed ACK costs ~40 ms per small response.
  // Accepted sockets inherit TCP_NODELAY from the listening socket.
  srv.set_tcp_nodelay(true);
  // Only SO_REUSEADDR (restart over TIME_WAIT). Never SO_REUSEPORT: a second
  // server on a taken port must fail to bind instead of silently sharing it.
  srv.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  int bound = 0;
  if (port == 0) {
    bound = srv.bind_to_any_port(host);
    if (bound <= 0)
      return 0;
  } else {
    if (!srv.bind_to_port(host, port))
      return 0;
    bound = port;
  }
  // httplib calls listen(fd, 5) inside bind and never exposes the fd. A
  // backlog of 5 drops SYNs under a burst of connects and the client retries
  // after 1 s, which shows as 1 s tail latency. Linux lets a second listen()
  // on the same socket raise the backlog, so find our socket and do that.
  raise_listen_backlog(bound, t.backlog);
  return bound;
}

bool listen_tuned(httplib::Server& srv) {
  return srv.listen_after_bind();
}

} // namespace mc::http
