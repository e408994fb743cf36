#pragma once

/// The On-Prem metric shape, in JSON and in the Prometheus text format
/// (https://developers.facebook.com/docs/whatsapp/api/stats/,
/// https://developers.secure.facebook.com/docs/whatsapp/on-premises/reference/metrics):
///
///   {"<name>":{"type":"gauge","help":"...","data":[{"labels":{...},"value":N}]}}
///
/// and, with `?format=prometheus`, the same families as
///
///   # HELP <name> ...
///   # TYPE <name> gauge
///   <name>{label="v",...} N

#include <string>
#include <utility>
#include <vector>

#include "runtime/json_util.hpp"

namespace mc::http {

/// One value of a family, with its labels in order.
struct metric_sample {
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
};

/// A named metric: its type ("gauge", "counter", "histogram"), help text
/// and values.
struct metric_family {
  std::string name;
  std::string type;
  std::string help;
  std::vector<metric_sample> samples;
};

using metric_families = std::vector<metric_family>;

/// Writes the families as members of the object `w` is writing: one
/// member per family, keyed by its name.
void write_families_json(json_writer& w, const metric_families& families);

/// The families in the Prometheus text format; `extra` labels (e.g. the
/// node) come first on every sample. Families of the same name seen again
/// (another node's) add samples without repeating HELP and TYPE.
std::string prometheus_text(
  const metric_families& families,
  const std::vector<std::pair<std::string, std::string>>& extra = {});

/// Appends the families of `more` to `out`, adding `label` to each sample.
void append_labelled(metric_families& out, const metric_families& more,
                     const std::pair<std::string, std::string>& label);

/// True when `format` (the query parameter) asks for Prometheus text.
bool wants_prometheus(const std::string& format);

} // namespace mc::http
