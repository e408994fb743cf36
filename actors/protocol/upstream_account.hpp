#pragma once

/// The account protocol: registering the business number with the
/// messaging servers, as POST /v1/account and /v1/account/verify of the
/// On-Prem API do (developers.facebook.com/docs/whatsapp/api/account,
/// .../api/account/verify). The webapp asks a coreapp (the owner of shard
/// 0), whose node forwards the call to its upstream; the simulator
/// (actors/sim/) implements it, a Cloud API driver later.
///
///   webapp                coreapp node                      upstream
///     |-- (acct_reg, cc, phone, method, cert) -->|-- same -->|
///     |<----------------- (vname, code_sent) ----|<----------|
///     |-- (acct_ver, cc, phone, code) ---------->|-- same -->|
///     |<----------------- ok | code_mismatch ----|<----------|
///
/// A registration whose number is already registered with that cert sends
/// no code (code_sent false: the API answers 201); otherwise the upstream
/// sends a code by `method` ("sms" or "voice"), the API answers 202 and
/// the client verifies it.

#include <chrono>
#include <string>

#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

namespace mc {

using acct_reg_atom = caf::atom_constant<caf::atom("acct_reg")>;
using acct_ver_atom = caf::atom_constant<caf::atom("acct_ver")>;

/// The account calls of an upstream (and of a coreapp node, which forwards
/// them to its own).
using upstream_account_actor = caf::typed_actor<
  /// (acct_reg, cc, phone_number, method, cert) -> (vname, code_sent): asks
  /// to register the number; `vname` is the verified name of the cert.
  caf::replies_to<acct_reg_atom, std::string, std::string, std::string,
                  std::string>::with<std::string, bool>,
  /// (acct_ver, cc, phone_number, code) -> ok: completes a registration
  /// with the code sent; mc_errc::code_mismatch when the code is wrong or
  /// none was sent.
  caf::replies_to<acct_ver_atom, std::string, std::string,
                  std::string>::with<caf::ok_atom>>;

/// How long a coreapp node waits for its upstream's answer; the webapp
/// waits longer (upstream_account_webapp_wait), so the node's error, not
/// a timeout, reaches the client.
constexpr auto upstream_account_node_wait = std::chrono::seconds{2};
constexpr auto upstream_account_webapp_wait = std::chrono::seconds{4};
static_assert(upstream_account_node_wait < upstream_account_webapp_wait);

} // namespace mc
