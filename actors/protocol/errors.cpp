#include "actors/protocol/errors.hpp"

#include <caf/atom.hpp>
#include <caf/make_message.hpp>

namespace mc {

const char* to_string(mc_errc code) {
  switch (code) {
    case mc_errc::none: return "none";
    case mc_errc::stale_epoch: return "stale_epoch";
    case mc_errc::not_owner: return "not_owner";
    case mc_errc::overloaded: return "overloaded";
    case mc_errc::upstream_refused: return "upstream_refused";
    case mc_errc::database: return "database";
    case mc_errc::resharding: return "resharding";
    case mc_errc::upstream_fenced: return "upstream_fenced";
    case mc_errc::media_unknown: return "media_unknown";
    case mc_errc::media_invalid: return "media_invalid";
    case mc_errc::code_mismatch: return "code_mismatch";
    case mc_errc::not_primary: return "not_primary";
    case mc_errc::commit_unknown: return "commit_unknown";
    case mc_errc::unsupported_message: return "unsupported_message";
    case mc_errc::malformed_document: return "malformed_document";
  }
  return "unknown";
}

caf::error make_error(mc_errc code, std::string context) {
  if (context.empty())
    return {static_cast<uint8_t>(code), caf::atom("mc")};
  return {static_cast<uint8_t>(code), caf::atom("mc"),
          caf::make_message(std::move(context))};
}

bool is(const caf::error& err, mc_errc code) {
  return err.category() == caf::atom("mc")
         && err.code() == static_cast<uint8_t>(code);
}

} // namespace mc
