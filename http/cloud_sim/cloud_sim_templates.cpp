#include "http/cloud_sim/cloud_sim_templates.hpp"

namespace mc {

void cloud_sim_templates::add(cloud_template t) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto range = by_name_.equal_range(t.name);
  for (auto i = range.first; i != range.second; ++i)
    if (i->second.language == t.language) {
      i->second = t;
      return;
    }
  auto name = t.name;
  by_name_.emplace(std::move(name), std::move(t));
}

std::optional<cloud_template> cloud_sim_templates::find(
  const std::string& name, const std::string& language) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (by_name_.empty())
    return cloud_template{name, language, "utility"};
  auto range = by_name_.equal_range(name);
  for (auto i = range.first; i != range.second; ++i)
    if (i->second.language.empty() || i->second.language == language)
      return i->second;
  return std::nullopt;
}

std::vector<cloud_template> cloud_sim_templates::list() {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<cloud_template> out;
  for (auto& [name, t] : by_name_)
    out.push_back(t);
  return out;
}

void cloud_sim_templates::clear() {
  std::lock_guard<std::mutex> guard{mtx_};
  by_name_.clear();
}

} // namespace mc
