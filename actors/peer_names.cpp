#include "actors/peer_names.hpp"

#include <netdb.h>
#include <sys/socket.h>

namespace mc {

peer_names& peer_names::instance() {
  static peer_names names;
  return names;
}

void peer_names::expect(const std::string& node_id, const std::string& host,
                        uint16_t port) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  // Registered hosts are addresses (--advertise) unless an operator gave a
  // name; only a name costs a lookup, as CAF's own connect does next.
  if (::getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0)
    return; // CAF's connect fails the same way
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto* a = found; a != nullptr; a = a->ai_next) {
    char ip[NI_MAXHOST];
    if (::getnameinfo(a->ai_addr, a->ai_addrlen, ip, sizeof(ip), nullptr, 0,
                      NI_NUMERICHOST)
        == 0)
      names_[{plain_ip(ip), port}] = node_id;
  }
  ::freeaddrinfo(found);
}

std::string peer_names::expected(const std::string& ip, uint16_t port) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = names_.find({plain_ip(ip), port});
  return i == names_.end() ? std::string{} : i->second;
}

std::string plain_ip(const std::string& ip) {
  constexpr const char* mapped = "::ffff:";
  if (ip.rfind(mapped, 0) == 0 && ip.find('.') != std::string::npos)
    return ip.substr(7);
  return ip;
}

} // namespace mc
