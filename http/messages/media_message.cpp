#include "http/messages/message_types.hpp"

namespace mc::http {

namespace {

/// Longest caption; https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#media-object
constexpr size_t max_caption_chars = 1024;

/// Longest media id or file name accepted.
constexpr size_t max_media_name_chars = 512;

} // namespace

bool media_message::is_media(std::string_view type) {
  return type == "image" || type == "audio" || type == "video"
         || type == "document" || type == "sticker";
}

void media_message::check(message_checker& c, const rapidjson::Value& v,
                          std::string_view type, std::string path) {
  // Media object, On-Prem reference: id or link, exactly one; caption only
  // for image, video and document; filename only for document.
  // https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#media-object
  std::optional<message_fields> f;
  if (type == "document")
    f = c.object(v, std::move(path), {"id", "link", "caption", "filename"});
  else if (type == "image" || type == "video")
    f = c.object(v, std::move(path), {"id", "link", "caption"});
  else
    f = c.object(v, std::move(path), {"id", "link"});
  if (!f)
    return;
  auto id = f->get("id");
  auto link = f->get("link");
  if (id == nullptr && link == nullptr) {
    c.fail(codes::missing_parameter, f->name_of("id") + " or "
                                       + f->name_of("link") + " is missing");
    return;
  }
  if (id != nullptr && link != nullptr) {
    c.fail(codes::invalid_parameter, f->path + " must have either id or "
                                               "link, not both");
    return;
  }
  c.text(*f, "id", false, max_media_name_chars);
  c.url(*f, "link", false);
  c.text(*f, "caption", false, max_caption_chars);
  c.text(*f, "filename", false, max_media_name_chars);
}

} // namespace mc::http
