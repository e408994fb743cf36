#include "runtime/roles/peer_name_check.hpp"

#include <chrono>
#include <map>
#include <mutex>

#include <netdb.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include "actors/peer_names.hpp"
#include "runtime/log.hpp"

namespace mc {

namespace {

/// The node id of this process's log lines.
std::string& self_id() {
  static std::string id;
  return id;
}

/// Numeric address and port of the peer on socket `fd`.
struct peer_address {
  std::string ip;
  uint16_t port = 0;
};

peer_address address_of(int fd) {
  sockaddr_storage sa{};
  socklen_t len = sizeof(sa);
  char ip[NI_MAXHOST];
  char port[NI_MAXSERV];
  if (fd < 0 || ::getpeername(fd, reinterpret_cast<sockaddr*>(&sa), &len) != 0
      || ::getnameinfo(reinterpret_cast<sockaddr*>(&sa), len, ip, sizeof(ip),
                       port, sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV)
           != 0)
    return {};
  return {plain_ip(ip), static_cast<uint16_t>(std::stoi(port))};
}

/// A retried connection is refused again every round of its caller: one
/// log line per address every 10 s says it.
bool should_log(const peer_address& peer) {
  using clock = std::chrono::steady_clock;
  static std::mutex mtx;
  static std::map<std::pair<std::string, uint16_t>, clock::time_point> last;
  std::lock_guard<std::mutex> guard{mtx};
  auto now = clock::now();
  auto& t = last[{peer.ip, peer.port}];
  if (t != clock::time_point{} && now - t < std::chrono::seconds{10})
    return false;
  t = now;
  return true;
}

/// The verify callback of the connections this node opens: CAF's chain
/// check first (`ok`), then, at the server's own certificate (depth 0),
/// its CN against the node id expected at the address.
int verify_peer_name(int ok, X509_STORE_CTX* store) {
  if (ok != 1 || X509_STORE_CTX_get_error_depth(store) != 0)
    return ok;
  auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(
    store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  if (ssl == nullptr)
    return ok;
  auto peer = address_of(SSL_get_fd(ssl));
  auto expected = peer_names::instance().expected(peer.ip, peer.port);
  if (expected.empty())
    return ok; // not a node we looked up: the CA check alone
  auto cn = common_name(X509_STORE_CTX_get_current_cert(store));
  if (cn == expected)
    return 1;
  if (should_log(peer))
    log_error(self_id(), "refused the peer at ", peer.ip, ":", peer.port,
              ": it registered as node ", expected,
              " but its certificate is issued to CN=", cn,
              " (a node's certificate must name its node id)");
  X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
  return 0;
}

} // namespace

void check_peer_names(const std::string& id) {
  self_id() = id;
}

void bind_peer_name(SSL* ssl) {
  if (ssl == nullptr || SSL_get_verify_callback(ssl) == &verify_peer_name)
    return;
  SSL_set_verify(ssl, SSL_get_verify_mode(ssl), &verify_peer_name);
}

std::string common_name(X509* cert) {
  if (cert == nullptr)
    return {};
  auto* name = X509_get_subject_name(cert);
  int i = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (i < 0)
    return {};
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(
    &utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
  if (len < 0)
    return {};
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

} // namespace mc
