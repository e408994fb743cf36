#pragma once

#include <string>

#include <openssl/types.h>

namespace mc {

/// Binds node ids to certificate names on the links this node opens.
///
/// CAF 0.17.6's OpenSSL module verifies only that a peer's certificate
/// chains to the cluster CA; it exposes neither the SSL object nor the
/// peer certificate (caf/openssl/session.hpp keeps both private), and its
/// actor messages do not say which connection they came in on. What it
/// cannot hide is the SSL_connect call of each connection it opens:
/// openssl_error_queue defines that symbol in the binary and calls
/// bind_peer_name first, which gives the connection a verify callback of
/// its own. At the server's certificate the callback looks up the node id
/// this node means to reach at that address (actors/peer_names, recorded
/// by the connector) and fails the handshake unless the certificate's CN
/// is that id, with a log line naming both.
///
/// Calling it links the check in and sets the node id of its log lines.
void check_peer_names(const std::string& self_id);

/// Gives `ssl`, a connection CAF's OpenSSL middleman opens, the verify
/// callback above (keeping CAF's verify mode). Idempotent: CAF calls
/// SSL_connect again for each step of a non-blocking handshake.
void bind_peer_name(SSL* ssl);

/// The CN of `cert`'s subject, "" without one.
std::string common_name(X509* cert);

} // namespace mc
