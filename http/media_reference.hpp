#pragma once

#include <optional>

#include "http/api_error.hpp"
#include "http/send_request.hpp"

namespace mc::http {

struct webapp_context;

/// The check of a media message's media id at POST /v1/messages: the media
/// must be in the store (uploaded, not deleted, not expired) and of a kind
/// the message type may send (a document may be any media). One indexed
/// read, and only for media messages that give an "id" (not a "link").
/// nullopt when the message may go; else 1009, as a parameter value that is
/// not valid (developers.facebook.com/docs/whatsapp/api/errors).
std::optional<api_error> check_media_reference(webapp_context& ctx,
                                               const send_request& msg);

} // namespace mc::http
