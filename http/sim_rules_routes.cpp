#include "http/sim_rules_routes.hpp"

#include <optional>

#include <httplib.h>

#include "runtime/json_util.hpp"

namespace mc {

namespace {

void reply(httplib::Response& res, int status, std::string_view error) {
  res.status = status;
  if (status == 200) {
    res.set_content("{\"ok\":true}", "application/json");
    return;
  }
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_member(w, "error", error);
  w.EndObject();
  res.set_content(buf.GetString(), buf.GetSize(), "application/json");
}

/// The strings of array member `name`; nullopt if it is not one.
std::optional<std::vector<std::string>> strings(const rapidjson::Value& obj,
                                                const char* name) {
  auto i = obj.FindMember(name);
  if (i == obj.MemberEnd() || !i->value.IsArray())
    return std::nullopt;
  std::vector<std::string> out;
  for (auto& x : i->value.GetArray()) {
    if (!x.IsString())
      return std::nullopt;
    out.emplace_back(as_view(x));
  }
  return out;
}

std::optional<sim_template> parse_template(const rapidjson::Value& doc) {
  sim_template t;
  auto ns = doc.FindMember("namespace");
  auto name = doc.FindMember("name");
  if (ns == doc.MemberEnd() || !ns->value.IsString()
      || name == doc.MemberEnd() || !name->value.IsString())
    return std::nullopt;
  t.ns = std::string{as_view(ns->value)};
  t.name = std::string{as_view(name->value)};
  auto langs = strings(doc, "languages");
  if (!langs || langs->empty())
    return std::nullopt;
  t.languages = std::move(*langs);
  if (auto p = doc.FindMember("params"); p != doc.MemberEnd()) {
    if (!p->value.IsObject())
      return std::nullopt;
    for (auto& m : p->value.GetObject()) {
      auto part = as_view(m.name);
      if ((part != "header" && part != "body" && part != "button")
          || !m.value.IsInt() || m.value.GetInt() < 0)
        return std::nullopt;
      t.params[std::string{part}] = m.value.GetInt();
    }
  }
  return t;
}

} // namespace

void sim_rules_routes::install(httplib::Server& srv, sim_rules& rules) {
  srv.Post("/templates", [&rules](const httplib::Request& req,
                                  httplib::Response& res) {
    rapidjson::Document doc;
    std::string error;
    if (!parse_json_object(req.body, doc, error))
      return reply(res, 400, error);
    auto t = parse_template(doc);
    if (!t)
      return reply(res, 400,
                   "expected namespace, name, languages (non-empty) and "
                   "params {header, body, button: counts}");
    rules.register_template(std::move(*t));
    reply(res, 200, {});
  });
  srv.Post("/rules", [&rules](const httplib::Request& req,
                              httplib::Response& res) {
    rapidjson::Document doc;
    std::string error;
    if (!parse_json_object(req.body, doc, error))
      return reply(res, 400, error);
    auto hosts = strings(doc, "bad_link_hosts");
    auto users = strings(doc, "non_users");
    bool bad = (doc.HasMember("bad_link_hosts") && !hosts)
               || (doc.HasMember("non_users") && !users)
               || doc.MemberCount() == 0
               || doc.MemberCount() != (hosts ? 1u : 0u) + (users ? 1u : 0u);
    if (bad)
      return reply(res, 400,
                   "expected bad_link_hosts and/or non_users, arrays of "
                   "strings");
    if (hosts)
      rules.set_bad_link_hosts(std::move(*hosts));
    if (users)
      rules.set_non_users(std::move(*users));
    reply(res, 200, {});
  });
}

} // namespace mc
