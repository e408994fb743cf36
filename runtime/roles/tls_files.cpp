#include "runtime/roles/tls_files.hpp"

#include "runtime/roles/peer_name_check.hpp"

#include <memory>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/stat.h>

namespace mc {

namespace {

std::string last_ssl_error() {
  char buf[256] = "unknown error";
  if (auto e = ERR_get_error())
    ERR_error_string_n(e, buf, sizeof(buf));
  ERR_clear_error();
  return buf;
}

} // namespace

std::string check_tls_files(const options& opts) {
  if (!opts.tls())
    return {};
  struct stat st {};
  if (::stat(opts.tls_key.c_str(), &st) != 0)
    return "cannot read --tls-key " + opts.tls_key;
  // A private key others can read is no longer private: refuse, as ssh does.
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    return "--tls-key " + opts.tls_key
           + " is readable by group or others; chmod 0600 it";
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx{
    SSL_CTX_new(TLS_method()), SSL_CTX_free};
  if (!ctx)
    return "cannot create an OpenSSL context: " + last_ssl_error();
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), opts.tls_cert.c_str())
      != 1)
    return "cannot load --tls-cert " + opts.tls_cert + ": " + last_ssl_error();
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), opts.tls_key.c_str(),
                                  SSL_FILETYPE_PEM)
      != 1)
    return "cannot load --tls-key " + opts.tls_key + ": " + last_ssl_error();
  if (SSL_CTX_check_private_key(ctx.get()) != 1)
    return "--tls-key does not belong to --tls-cert: " + last_ssl_error();
  // Peers check that a node's CN is the node id it registered
  // (peer_name_check); a node with another's certificate would be refused
  // by all of them, so it is refused here, at once and clearly.
  auto cn = common_name(SSL_CTX_get0_certificate(ctx.get()));
  if (cn != opts.node_id)
    return "--tls-cert " + opts.tls_cert + " is issued to CN=" + cn
           + ", not to this node's id " + opts.node_id
           + ": each node needs a certificate of its own name (deploy/ca DIR "
           + opts.node_id + ")";
  if (SSL_CTX_load_verify_locations(ctx.get(), opts.tls_ca.c_str(), nullptr)
      != 1)
    return "cannot load --tls-ca " + opts.tls_ca + ": " + last_ssl_error();
  return {};
}

} // namespace mc
