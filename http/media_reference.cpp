#include "http/media_reference.hpp"

#include <pqxx/pqxx>

#include "http/webapp_context.hpp"
#include "runtime/media_kind.hpp"
#include "runtime/store/media_store.hpp"

namespace mc::http {

std::optional<api_error> check_media_reference(webapp_context& ctx,
                                               const send_request& msg) {
  if (!media_kind_named(msg.type))
    return std::nullopt;
  auto ref = media_ref_of(msg.payload);
  if (!ref)
    return std::nullopt;
  auto info = ctx.db->with(
    [&](pqxx::connection& c) { return find_media_info(c, ref->id); });
  auto field = std::string{to_string(ref->kind)} + ".id";
  if (!info)
    return make_api_error(codes::invalid_parameter,
                          field + ": no media '" + clip(ref->id)
                            + "' was uploaded (or it was deleted or expired)");
  auto type = parse_mime_type(info->mime_type);
  auto uploaded = type ? upload_kind(*type) : std::nullopt;
  if (!uploaded || !media_fits(ref->kind, *uploaded))
    return make_api_error(codes::invalid_parameter,
                          field + ": media '" + clip(ref->id) + "' is "
                            + info->mime_type + ", which a "
                            + to_string(ref->kind)
                            + " message cannot send");
  return std::nullopt;
}

} // namespace mc::http
