#pragma once

namespace mc {

/// Makes CAF's OpenSSL sessions start every TLS I/O call with an empty
/// error queue, as OpenSSL requires (SSL_get_error(3): "the current
/// thread's error queue must be empty before the TLS/SSL I/O operation is
/// attempted").
///
/// Why: CAF 0.17.6 (libcaf_openssl/src/openssl/session.cpp) runs every
/// connection of a node on one I/O thread and decides each call by
/// SSL_get_error without clearing the queue. One peer that goes away (an
/// "unexpected eof" error left in the queue, e.g. a killed coreapp) then
/// turns the next harmless SSL_ERROR_WANT_READ of every other connection
/// into a failure, and the node drops all its links at once. This file
/// Its stream also stops reading while OpenSSL still buffers decrypted
/// bytes (see SSL_pending in the .cpp). This file defines SSL_read,
/// SSL_write, SSL_connect, SSL_accept and SSL_pending in the binary:
/// the dynamic linker binds libcaf_openssl's calls to them first, and they
/// clear the queue and call OpenSSL's own. SSL_connect also gives the
/// connection its node-id check first (peer_name_check). Calling this
/// function links them in; it does nothing else.
void clear_openssl_errors_per_call();

} // namespace mc
