#pragma once

/// The contacts protocol: is a phone number a WhatsApp user?
///
///   webapp              coreapp node (owner of hash(number))      upstream
///     |-- (contacts, s, e, [digits...]) -->|                          |
///     |                                    |-- (contacts, account, [digits...]) -->|
///     |                                    |<------------ [contact_check...] ------|
///     |<------------- [contact_check...] --|
///
/// The webapp routes each number to the coreapp owning its shard, like a
/// send (http/contact_routes.cpp), and caches the answers in PostgreSQL
/// (runtime/store/contacts_store). The simulator (actors/sim/) implements
/// `upstream_contacts_actor`; a Cloud API driver would answer the same.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

namespace mc {

using contacts_atom = caf::atom_constant<caf::atom("contacts")>;

/// The upstream's answer for one number: status "valid" (wa_id set) or
/// "invalid".
struct contact_check {
  std::string number; ///< the digits asked about
  std::string status;
  std::string wa_id;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, contact_check& x) {
  return f(caf::meta::type_name("contact_check"), x.number, x.status,
           x.wa_id);
}

using contact_checks = std::vector<contact_check>;

/// What the upstream answers about contacts.
using upstream_contacts_actor = caf::typed_actor<
  /// (contacts, account, numbers) -> checks, one per number in order.
  caf::replies_to<contacts_atom, std::string,
                  std::vector<std::string>>::with<contact_checks>>;

/// The contacts interface of a coreapp node.
using contacts_actor = caf::typed_actor<
  /// (contacts, shard, epoch, numbers) -> checks: asks the upstream about
  /// numbers of `shard`; fails with mc_errc::not_owner when the node does
  /// not serve `shard` at `epoch`.
  caf::replies_to<contacts_atom, int32_t, int64_t,
                  std::vector<std::string>>::with<contact_checks>>;

/// How long a coreapp node waits for the upstream's answer.
constexpr auto contacts_upstream_timeout = std::chrono::seconds{3};
/// How long a webapp waits for the node's answer: longer than the node's
/// own wait, so the node's error (not a timeout) reaches the client.
constexpr auto contacts_node_timeout = std::chrono::seconds{4};
static_assert(contacts_upstream_timeout < contacts_node_timeout);

/// Registers the types above (called by register_protocol).
void register_contacts_protocol(caf::actor_system_config& cfg);

} // namespace mc
