#include "http/metrics_format.hpp"

#include <cmath>
#include <cstdio>
#include <map>

namespace mc::http {

namespace {

void write_value(json_writer& w, double v) {
  // Counters and gauges are integral almost always; keep them integers.
  if (std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 9e15)
    w.Int64(static_cast<int64_t>(v));
  else
    w.Double(v);
}

std::string number_text(double v) {
  if (std::isinf(v))
    return v > 0 ? "+Inf" : "-Inf";
  if (std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 9e15)
    return std::to_string(static_cast<int64_t>(v));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// A label value as the text format wants it: \\, \" and \n escaped.
std::string escaped(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\' || c == '"')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

/// The HELP text with \\ and \n escaped.
std::string escaped_help(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

/// The series name of a sample: histograms keep their suffix in a label
/// "__suffix" (see request_metrics), everything else is the family name.
std::string series_line(
  const std::string& name, const metric_sample& s,
  const std::vector<std::pair<std::string, std::string>>& extra) {
  std::string suffix;
  std::string labels;
  auto add = [&](const std::pair<std::string, std::string>& l) {
    if (l.first == "__suffix") {
      suffix = l.second;
      return;
    }
    labels += labels.empty() ? "{" : ",";
    labels += l.first + "=\"" + escaped(l.second) + "\"";
  };
  for (auto& l : extra)
    add(l);
  for (auto& l : s.labels)
    add(l);
  if (!labels.empty())
    labels += "}";
  return name + suffix + labels + " " + number_text(s.value) + "\n";
}

/// A histogram as the JSON shape has it (the reference lists
/// api_requests_duration_ms_sum and _count as families of their own): one
/// counter family per suffix, the suffix label dropped.
metric_families split_histogram(const metric_family& h) {
  metric_families out;
  std::map<std::string, size_t> at;
  for (auto& s : h.samples) {
    std::string suffix;
    metric_sample plain;
    plain.value = s.value;
    for (auto& l : s.labels)
      if (l.first == "__suffix")
        suffix = l.second;
      else
        plain.labels.push_back(l);
    auto i = at.find(suffix);
    if (i == at.end()) {
      i = at.emplace(suffix, out.size()).first;
      out.push_back({h.name + suffix, "counter",
                     h.help + (suffix.empty() ? "" : " (" + suffix + ")"),
                     {}});
    }
    out[i->second].samples.push_back(std::move(plain));
  }
  return out;
}

} // namespace

void write_families_json(json_writer& w, const metric_families& families) {
  for (auto& f : families) {
    if (f.type == "histogram") {
      write_families_json(w, split_histogram(f));
      continue;
    }
    w.Key(f.name.c_str(), static_cast<rapidjson::SizeType>(f.name.size()));
    w.StartObject();
    write_member(w, "type", f.type);
    write_member(w, "help", f.help);
    w.Key("data");
    w.StartArray();
    for (auto& s : f.samples) {
      w.StartObject();
      if (!s.labels.empty()) {
        w.Key("labels");
        w.StartObject();
        for (auto& [k, v] : s.labels)
          write_member(w, k, v);
        w.EndObject();
      }
      w.Key("value");
      write_value(w, s.value);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
}

std::string prometheus_text(
  const metric_families& families,
  const std::vector<std::pair<std::string, std::string>>& extra) {
  // Group by name in order of first appearance: the format wants one
  // HELP/TYPE block per family and its samples together.
  std::vector<const metric_family*> order;
  std::map<std::string, std::vector<const metric_family*>> by_name;
  for (auto& f : families) {
    auto& same = by_name[f.name];
    if (same.empty())
      order.push_back(&f);
    same.push_back(&f);
  }
  std::string out;
  for (auto* first : order) {
    out += "# HELP " + first->name + " " + escaped_help(first->help) + "\n";
    out += "# TYPE " + first->name + " " + first->type + "\n";
    for (auto* f : by_name[first->name])
      for (auto& s : f->samples)
        out += series_line(f->name, s, extra);
  }
  return out;
}

void append_labelled(metric_families& out, const metric_families& more,
                     const std::pair<std::string, std::string>& label) {
  for (auto f : more) {
    for (auto& s : f.samples)
      s.labels.insert(s.labels.begin(), label);
    out.push_back(std::move(f));
  }
}

bool wants_prometheus(const std::string& format) {
  return format == "prometheus";
}

} // namespace mc::http
