#include "actors/sim/sim_accounts.hpp"

namespace mc {

std::optional<std::string> sim_accounts::request_code(const std::string& account,
                                                      const std::string& cert) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (auto i = registered_.find(account); i != registered_.end()
                                          && i->second == cert)
    return std::nullopt;
  std::uniform_int_distribution<int> digit{0, 9};
  std::string code;
  for (int i = 0; i < 6; ++i)
    code += static_cast<char>('0' + digit(rng_));
  pending_[account] = {code, cert};
  return code;
}

bool sim_accounts::verify(const std::string& account, const std::string& code) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = pending_.find(account);
  if (i == pending_.end() || i->second.code != code)
    return false;
  registered_[account] = i->second.cert;
  pending_.erase(i);
  return true;
}

std::optional<std::string>
sim_accounts::pending_code(const std::string& account) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = pending_.find(account);
  if (i == pending_.end())
    return std::nullopt;
  return i->second.code;
}

void sim_accounts::reset() {
  std::lock_guard<std::mutex> guard{mtx_};
  pending_.clear();
  registered_.clear();
}

} // namespace mc
