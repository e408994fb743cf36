#pragma once

/// The coreapp node's side of the account protocol
/// (actors/protocol/upstream_account.hpp): it forwards each call to its
/// upstream and relays the answer, so the webapps, which hold no upstream
/// connection, can register the account. A plain object the node owns.

#include <string>

#include <caf/actor_cast.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/protocol/errors.hpp"
#include "actors/protocol/upstream.hpp"
#include "actors/protocol/upstream_account.hpp"

namespace mc {

class account_forwarder {
public:
  /// (acct_reg, ...) to the upstream, answered through the node `self`.
  template <class Self>
  static caf::typed_response_promise<std::string, bool>
  register_number(Self* self, const upstream_actor& upstream, std::string cc,
                  std::string phone, std::string method, std::string cert) {
    auto rp = self->template make_response_promise<std::string, bool>();
    auto up = account_side(upstream);
    if (!up) {
      rp.deliver(make_error(mc_errc::upstream_refused, "no upstream"));
      return rp;
    }
    self
      ->request(up, upstream_account_node_wait, acct_reg_atom::value,
                std::move(cc), std::move(phone), std::move(method),
                std::move(cert))
      .then([rp](std::string& vname, bool code_sent) mutable {
              rp.deliver(std::move(vname), code_sent);
            },
            [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
    return rp;
  }

  /// (acct_ver, ...) to the upstream, answered through the node `self`.
  template <class Self>
  static caf::typed_response_promise<caf::ok_atom>
  verify_code(Self* self, const upstream_actor& upstream, std::string cc,
              std::string phone, std::string code) {
    auto rp = self->template make_response_promise<caf::ok_atom>();
    auto up = account_side(upstream);
    if (!up) {
      rp.deliver(make_error(mc_errc::upstream_refused, "no upstream"));
      return rp;
    }
    self
      ->request(up, upstream_account_node_wait, acct_ver_atom::value,
                std::move(cc), std::move(phone), std::move(code))
      .then([rp](caf::ok_atom) mutable { rp.deliver(caf::ok_atom::value); },
            [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
    return rp;
  }

private:
  /// The upstream's account interface: every upstream implements it next
  /// to upstream_actor (the simulator's type extends both), so the handle
  /// the node connected to is the same actor.
  static upstream_account_actor account_side(const upstream_actor& upstream) {
    return caf::actor_cast<upstream_account_actor>(upstream);
  }
};

} // namespace mc
