#pragma once

// The webapp's authentication, split by concern; include the header you
// need. This one gathers them for older includes.
//   http/password_hash.hpp  salted password hashes and the password policy
//   http/token.hpp          signed bearer tokens
//   http/request_auth.hpp   the credentials of a request: Basic, Bearer, API key
//   http/user_request.hpp   the bodies of the user routes
// The users and revoked tokens themselves are in runtime/store/user_store.

#include "http/password_hash.hpp"
#include "http/request_auth.hpp"
#include "http/token.hpp"
#include "http/user_request.hpp"
