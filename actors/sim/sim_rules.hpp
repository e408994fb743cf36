#pragma once

/// What the simulated messaging servers check of a message before sending
/// it, as the real ones do: the template exists in that language with that
/// many parameters, a media link can be fetched, the recipient is a
/// WhatsApp user. A broken rule ends in a "failed" status carrying the
/// On-Prem error (https://developers.facebook.com/docs/whatsapp/api/errors).
///
/// Thread-safe: the query server configures it, the simulator reads it.
/// Text messages to users skip parsing entirely, so the benchmark path
/// pays one set lookup.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "actors/protocol/upstream.hpp"
#include "actors/sim/sim_directory.hpp"

namespace mc {

/// A template the simulated business registered: its namespace and name,
/// the languages it was translated to and the parameter count of each
/// component ("header", "body", "button": all button parameters together).
struct sim_template {
  std::string ns;
  std::string name;
  std::vector<std::string> languages;
  std::map<std::string, int> params;
};

/// The outcome of the checks of one message: code 0 when it is sent.
struct sim_verdict {
  int code = 0;
  std::string title;
  std::string details;
};

/// The simulator's registered templates, bad media hosts and non-users
/// (the latter kept in a sim_directory, shared with the contact checks).
class sim_rules {
public:
  sim_rules();

  /// Reads and writes non-users in `directory` from now on, so the
  /// simulator's contact checks and sends agree on who is not a user.
  void use_directory(std::shared_ptr<sim_directory> directory);

  /// The directory holding the non-users.
  std::shared_ptr<sim_directory> directory() const;

  /// Adds or replaces the template (ns, name).
  void register_template(sim_template t);

  /// Link hosts whose media cannot be fetched (replaces the list).
  void set_bad_link_hosts(std::vector<std::string> hosts);

  /// Recipients (digits) that are not WhatsApp users (replaces the list in
  /// the directory).
  void set_non_users(std::vector<std::string> numbers);

  /// Forgets templates, bad hosts and non-users.
  void clear();

  /// Checks `m` against the rules.
  sim_verdict check(const upstream_message& m) const;

private:
  mutable std::mutex mtx_;
  std::map<std::pair<std::string, std::string>, sim_template> templates_;
  std::set<std::string, std::less<>> bad_hosts_;
  std::shared_ptr<sim_directory> directory_;
};

} // namespace mc
