#include "http/shards_guard.hpp"

#include "http/password_hash.hpp"

namespace mc::http {

std::optional<api_error> shards_guard_error(const registered_account& reg,
                                            std::optional<int64_t> age_s,
                                            const account_request& req) {
  if (reg.cc != req.cc || reg.phone_number != req.phone_number)
    return make_api_error(codes::invalid_parameter,
                          "cc and phone_number do not match the registered "
                          "account");
  if (req.cert.empty()) {
    if (!age_s || *age_s >= cert_grace_s)
      return make_api_error(codes::missing_parameter,
                            "cert is missing: it is required more than 7 "
                            "days after registration");
  } else if (reg.cert != req.cert) {
    return make_api_error(codes::invalid_parameter,
                          "cert is not the account's certificate");
  }
  if (!reg.pin_hash.empty()) {
    if (!req.pin)
      return make_api_error(codes::missing_parameter,
                            "pin is required: two-step verification is on");
    if (!verify_password(*req.pin, reg.pin_hash))
      return make_api_error(codes::access_denied, "pin is wrong", 403);
  }
  return std::nullopt;
}

} // namespace mc::http
