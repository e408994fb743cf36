#include "http/messages/message_types.hpp"

#include "http/messages/template_language.hpp"

namespace mc::http {

namespace {

constexpr size_t max_params = 100;

void check_date_time(message_checker& c, const message_fields& p) {
  auto f = c.object(p, "date_time", {"component", "unix_epoch"}, true);
  if (!f)
    return;
  auto comp = f->get("component");
  auto epoch = f->get("unix_epoch");
  if ((comp == nullptr) == (epoch == nullptr)) {
    c.fail(comp == nullptr ? codes::missing_parameter
                           : codes::invalid_parameter,
           f->path + " must have either component or unix_epoch");
    return;
  }
  if (comp != nullptr) {
    auto x = c.object(*f, "component",
                      {"day_of_week", "day_of_month", "year", "month",
                       "hour", "minute", "calendar"},
                      true);
    if (!x)
      return;
    c.integer(*x, "day_of_week", false, 1, 7);
    c.integer(*x, "day_of_month", false, 1, 31);
    c.integer(*x, "year", false, 1, 9999);
    c.integer(*x, "month", false, 1, 12);
    c.integer(*x, "hour", false, 0, 23);
    c.integer(*x, "minute", false, 0, 59);
    c.one_of(*x, "calendar", false, {"GREGORIAN", "SOLAR_HIJRI"});
  } else if (auto x = c.object(*f, "unix_epoch", {"timestamp"}, true)) {
    c.integer(*x, "timestamp", true, 0, INT64_MAX / 2);
  }
}

void check_param(message_checker& c, const rapidjson::Value& v,
                 std::string path) {
  auto p = c.object(v, std::move(path), {"default", "currency", "date_time"});
  if (!p)
    return;
  // "default" is what the user sees when localisation fails: required.
  c.text(*p, "default", true, 32768);
  if (p->get("currency") != nullptr && p->get("date_time") != nullptr) {
    c.fail(codes::invalid_parameter,
           p->path + " must have currency or date_time, not both");
    return;
  }
  if (p->get("currency") != nullptr) {
    if (auto x = c.object(*p, "currency", {"currency_code", "amount_1000"},
                          true)) {
      c.text(*x, "currency_code", true, 3);
      c.integer(*x, "amount_1000", true, INT64_MIN / 2, INT64_MAX / 2);
    }
  } else if (p->get("date_time") != nullptr) {
    check_date_time(c, *p);
  }
}

} // namespace

void hsm_message::check(message_checker& c, const rapidjson::Value& hsm) {
  // Legacy hsm object: namespace, element_name, language,
  // localizable_params (default, currency, date_time).
  // https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#hsm-object
  auto f = c.object(hsm, "hsm",
                    {"namespace", "element_name", "language",
                     "localizable_params"});
  if (!f)
    return;
  c.text(*f, "namespace", true, 128);
  c.text(*f, "element_name", true, 512);
  template_language::check(c, *f);
  auto params = c.array(*f, "localizable_params", false, 0, max_params);
  if (params == nullptr)
    return;
  for (rapidjson::SizeType i = 0; i < params->Size() && c.ok(); ++i)
    check_param(c, (*params)[i],
                "hsm.localizable_params[" + std::to_string(i) + "]");
}

} // namespace mc::http
