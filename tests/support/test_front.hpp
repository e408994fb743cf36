#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/processes.hpp"

namespace mc::test {

/// The HTTP front of deploy/up (HAProxy, configured by deploy/front-config)
/// on a free loopback port before the given webapp ports, for end-to-end
/// tests. Killed when it goes away. With `tls` it serves TLS only, with a
/// certificate from a private CA of its own (deploy/ca, as deploy/up does).
class test_front {
public:
  explicit test_front(const std::vector<uint16_t>& webapp_ports,
                      int rate_max = 500, bool tls = false);
  ~test_front();
  test_front(const test_front&) = delete;
  test_front& operator=(const test_front&) = delete;

  uint16_t port() const { return port_; }

  /// The CA that signed the front's certificate (with `tls`).
  std::string ca_file() const { return dir_ + "/tls/ca.crt"; }
  int pid() const { return proc_ ? proc_->pid() : -1; }

  /// Waits until GET /healthz through the front answers 200.
  bool wait_ready(std::chrono::milliseconds timeout);

  /// Open file descriptors of the front process.
  int open_fds() const;

  /// The front's log.
  std::string log() const { return proc_ ? proc_->log() : std::string{}; }

private:
  std::string dir_;
  uint16_t port_ = 0;
  bool tls_ = false;
  std::unique_ptr<child_process> proc_;
};

} // namespace mc::test
