#pragma once

#include <string>

#include "runtime/options.hpp"

namespace mc {

/// Checks the mutual-TLS files of `opts` before the actor system starts:
/// CAF's OpenSSL module loads them only at the first connection and aborts
/// the process there if one is unusable. Returns "" when TLS is off or the
/// certificate (its CN the node id), the key (not readable by group or
/// others) and the CA load and match; otherwise what is wrong, for the
/// user.
std::string check_tls_files(const options& opts);

} // namespace mc
