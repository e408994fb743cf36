#include "runtime/roles/openssl_error_queue.hpp"

#include "runtime/roles/peer_name_check.hpp"

#include <limits>
#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

namespace mc {

void clear_openssl_errors_per_call() {
  // The definitions below are the whole job; see the header.
}

} // namespace mc

namespace {

/// OpenSSL's own definition of `name` (the next one after this binary).
template <class F>
F next_definition(const char* name) {
  return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}

void clear() { ERR_clear_error(); }

} // namespace

extern "C" {

int SSL_read(SSL* ssl, void* buf, int num) {
  static auto real = next_definition<int (*)(SSL*, void*, int)>("SSL_read");
  clear();
  return real(ssl, buf, num);
}

int SSL_write(SSL* ssl, const void* buf, int num) {
  static auto real
    = next_definition<int (*)(SSL*, const void*, int)>("SSL_write");
  clear();
  return real(ssl, buf, num);
}

/// Also where each connection this node opens gets its peer-name check
/// (runtime/roles/peer_name_check): CAF offers no other hook.
int SSL_connect(SSL* ssl) {
  static auto real = next_definition<int (*)(SSL*)>("SSL_connect");
  mc::bind_peer_name(ssl);
  clear();
  return real(ssl);
}

/// CAF's stream keeps reading past its 50 reads per event only while
/// SSL_pending covers the bytes its next message still needs; fewer bytes
/// decrypted and buffered inside OpenSSL are never asked for again unless
/// new bytes reach the socket, and the link stalls. Any buffered byte
/// means "read more".
int SSL_pending(const SSL* ssl) {
  static auto real = next_definition<int (*)(const SSL*)>("SSL_pending");
  auto n = real(ssl);
  return n > 0 ? std::numeric_limits<int>::max() : 0;
}

int SSL_accept(SSL* ssl) {
  static auto real = next_definition<int (*)(SSL*)>("SSL_accept");
  clear();
  return real(ssl);
}

} // extern "C"
