#include "actors/sim/sim_rules.hpp"

#include <algorithm>

#include "runtime/json_util.hpp"
#include "runtime/onprem_codes.hpp"

namespace mc {

namespace {

// On-Prem codes of messages the servers refuse after accepting them.
// https://developers.facebook.com/docs/whatsapp/api/errors
constexpr int template_param_count_mismatch = 2000;
constexpr int template_missing = 2001;

sim_verdict failed(int code, std::string_view title, std::string details) {
  return {code, std::string{title}, std::move(details)};
}

std::string_view str(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject())
    return {};
  auto i = obj.FindMember(key);
  if (i == obj.MemberEnd() || !i->value.IsString())
    return {};
  return as_view(i->value);
}

const rapidjson::Value* member(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject())
    return nullptr;
  auto i = obj.FindMember(key);
  return i == obj.MemberEnd() ? nullptr : &i->value;
}

/// The host of an http(s) URL; empty for any other scheme.
std::string_view link_host(std::string_view link) {
  size_t start;
  if (link.rfind("http://", 0) == 0)
    start = 7;
  else if (link.rfind("https://", 0) == 0)
    start = 8;
  else
    return {};
  auto host = link.substr(start);
  host = host.substr(0, host.find_first_of("/?#"));
  auto at = host.rfind('@');
  if (at != std::string_view::npos)
    host = host.substr(at + 1);
  return host.substr(0, host.find(':'));
}

/// Every media "link" of the document, wherever it sits (message, template
/// header parameter, interactive header).
void collect_links(const rapidjson::Value& v,
                   std::vector<std::string_view>& out) {
  if (v.IsObject()) {
    for (auto& m : v.GetObject()) {
      if (as_view(m.name) == "link" && m.value.IsString())
        out.push_back(as_view(m.value));
      else
        collect_links(m.value, out);
    }
  } else if (v.IsArray()) {
    for (auto& x : v.GetArray())
      collect_links(x, out);
  }
}

/// Parameter counts per component type of a "template" object.
std::map<std::string, int> template_params(const rapidjson::Value& tmpl) {
  std::map<std::string, int> out;
  auto comps = member(tmpl, "components");
  if (comps == nullptr || !comps->IsArray())
    return out;
  for (auto& c : comps->GetArray()) {
    auto params = member(c, "parameters");
    auto n = params != nullptr && params->IsArray()
               ? static_cast<int>(params->Size())
               : 0;
    out[std::string{str(c, "type")}] += n;
  }
  return out;
}

} // namespace

void sim_rules::register_template(sim_template t) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto key = std::make_pair(t.ns, t.name);
  templates_[key] = std::move(t);
}

void sim_rules::set_bad_link_hosts(std::vector<std::string> hosts) {
  std::lock_guard<std::mutex> guard{mtx_};
  bad_hosts_ = {hosts.begin(), hosts.end()};
}

sim_rules::sim_rules() : directory_(std::make_shared<sim_directory>()) {
}

void sim_rules::use_directory(std::shared_ptr<sim_directory> directory) {
  std::lock_guard<std::mutex> guard{mtx_};
  directory_ = std::move(directory);
}

std::shared_ptr<sim_directory> sim_rules::directory() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return directory_;
}

void sim_rules::set_non_users(std::vector<std::string> numbers) {
  directory()->set_non_users(numbers);
}

void sim_rules::clear() {
  std::lock_guard<std::mutex> guard{mtx_};
  templates_.clear();
  bad_hosts_.clear();
  directory_->set_non_users({});
}

sim_verdict sim_rules::check(const upstream_message& m) const {
  std::lock_guard<std::mutex> guard{mtx_};
  // The directory's lock is taken inside ours, never the other way round.
  if (directory_->is_non_user(m.recipient))
    return failed(codes::invalid_user, error_title(codes::invalid_user),
                  "recipient " + m.recipient + " is not a WhatsApp user");
  if (m.type == "text")
    return {};
  rapidjson::Document doc;
  std::string error;
  if (!parse_json(m.payload, doc, error) || !doc.IsObject())
    return failed(codes::invalid_parameter,
                  error_title(codes::invalid_parameter), error);
  std::vector<std::string_view> links;
  collect_links(doc, links);
  for (auto link : links) {
    auto host = link_host(link);
    // The servers fetch the media before sending: a host that cannot be
    // reached fails the message. (Inferred from the reference: the status
    // carries 1014 with the download as its details.)
    if (host.empty() || bad_hosts_.count(host) != 0)
      return failed(codes::internal, error_title(codes::internal),
                    "media download failed: " + std::string{link});
  }
  if (m.type != "template" && m.type != "hsm")
    return {};
  bool hsm = m.type == "hsm";
  auto t = member(doc, hsm ? "hsm" : "template");
  if (t == nullptr)
    return failed(template_missing, "Template Missing", "no template object");
  auto ns = std::string{str(*t, "namespace")};
  auto name = std::string{str(*t, hsm ? "element_name" : "name")};
  std::string lang;
  if (auto l = member(*t, "language"))
    lang = std::string{str(*l, "code")};
  auto i = templates_.find({ns, name});
  if (i == templates_.end())
    return failed(template_missing, "Template Missing",
                  "template " + ns + ":" + name + " does not exist");
  auto& langs = i->second.languages;
  if (std::find(langs.begin(), langs.end(), lang) == langs.end())
    return failed(template_missing, "Template Missing",
                  "template " + name + " does not exist in " + lang);
  std::map<std::string, int> got;
  if (hsm) {
    // The legacy form has one flat list: the body's parameters.
    auto params = member(*t, "localizable_params");
    got["body"] = params != nullptr && params->IsArray()
                    ? static_cast<int>(params->Size())
                    : 0;
  } else {
    got = template_params(*t);
  }
  for (auto part : {"header", "body", "button"}) {
    auto want = i->second.params.count(part) ? i->second.params.at(part) : 0;
    auto have = got.count(part) ? got.at(part) : 0;
    if (want != have)
      return failed(template_param_count_mismatch,
                    "Template Param Count Mismatch",
                    std::string{part} + ": number of parameters ("
                      + std::to_string(have)
                      + ") does not match the expected number of params ("
                      + std::to_string(want) + ")");
  }
  return {};
}

} // namespace mc
