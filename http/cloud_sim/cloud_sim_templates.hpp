#pragma once

/// Message templates the simulated business has: registered through the
/// query API; while none is registered every name is accepted.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace mc {

/// One registered template.
struct cloud_template {
  std::string name;
  std::string language; ///< empty: any
  std::string category = "utility";
};

/// The registry; thread-safe.
class cloud_sim_templates {
public:
  void add(cloud_template t);

  /// The template `name` in `language`: the registered one, a default
  /// ("utility") while none is registered, nullopt if unknown.
  std::optional<cloud_template> find(const std::string& name,
                                     const std::string& language);

  std::vector<cloud_template> list();

  void clear();

private:
  std::mutex mtx_;
  std::multimap<std::string, cloud_template> by_name_;
};

} // namespace mc
