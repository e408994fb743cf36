#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace mc {

/// The node ids this node expects behind the addresses it connects to, so
/// that under mutual TLS a peer proves the node id it registered, not just
/// membership of the cluster CA: the connector (middleman_connector)
/// records whom it means before CAF's OpenSSL middleman dials, and the
/// handshake (runtime/roles/peer_name_check) refuses a server whose
/// certificate's CN is another name.
///
/// Process-wide because OpenSSL's verify callback, reached from inside
/// CAF, has nothing else to find it by.
class peer_names {
public:
  static peer_names& instance();

  /// Records that `host:port` is node `node_id`, for every numeric address
  /// `host` resolves to; a later call for the same address replaces it
  /// (a node restarted on the port of another).
  void expect(const std::string& node_id, const std::string& host,
              uint16_t port);

  /// The node expected at numeric address `ip`:`port` (as getnameinfo
  /// prints it), "" when nobody said.
  std::string expected(const std::string& ip, uint16_t port) const;

private:
  mutable std::mutex mtx_;
  std::map<std::pair<std::string, uint16_t>, std::string> names_;
};

/// `ip` without the "::ffff:" of an IPv4 address mapped into IPv6.
std::string plain_ip(const std::string& ip);

} // namespace mc
