#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>

namespace mc {

/// The accounts the upstream simulator registered and the codes it sent,
/// shared by the simulator actor (which registers and verifies) and its
/// query API (which shows the code a test reads instead of an SMS).
/// Thread-safe.
class sim_accounts {
public:
  /// A registration of `account` ("<cc><phone_number>") with `cert`: the
  /// code sent (6 digits), or nullopt when the number is already
  /// registered with that cert and no code is needed.
  std::optional<std::string> request_code(const std::string& account,
                                          const std::string& cert);

  /// True when `code` is the one sent to `account`; the account is then
  /// registered and the code spent.
  bool verify(const std::string& account, const std::string& code);

  /// The code waiting for `account`, if any (for the query API).
  std::optional<std::string> pending_code(const std::string& account) const;

  /// Forgets every account and code.
  void reset();

private:
  struct pending {
    std::string code;
    std::string cert;
  };
  mutable std::mutex mtx_;
  std::map<std::string, pending> pending_;
  /// Registered accounts and their certs.
  std::map<std::string, std::string> registered_;
  std::mt19937 rng_{std::random_device{}()};
};

} // namespace mc
