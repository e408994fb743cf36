#include "http/messages/message_types.hpp"

#include <set>

namespace mc::http {

namespace {

// Limits of the interactive object, On-Prem reference
// https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#interactive-object
constexpr size_t max_header_chars = 60;
constexpr size_t max_body_chars = 1024;
constexpr size_t max_footer_chars = 60;
constexpr size_t max_reply_buttons = 3;
constexpr size_t max_button_title_chars = 20;
constexpr size_t max_button_id_chars = 256;
constexpr size_t max_list_button_chars = 20;
constexpr size_t max_sections = 10;
constexpr size_t max_rows = 10;
constexpr size_t max_section_title_chars = 24;
constexpr size_t max_row_title_chars = 24;
constexpr size_t max_row_id_chars = 200;
constexpr size_t max_row_description_chars = 72;
constexpr size_t max_products = 30;

std::string at(const std::string& path, rapidjson::SizeType i) {
  return path + "[" + std::to_string(i) + "]";
}

/// A second element with the same value of `what` breaks "must be unique".
bool unique(message_checker& c, std::set<std::string>& seen,
            const message_fields& f, std::string_view what) {
  auto v = f.get(what);
  if (v == nullptr || !v->IsString())
    return true;
  if (seen.emplace(as_view(*v)).second)
    return true;
  return c.fail(codes::invalid_parameter,
                f.name_of(what) + " '" + clip(as_view(*v))
                  + "' is not unique");
}

void check_header(message_checker& c, const message_fields& f,
                  std::string_view kind) {
  auto h = c.object(f, "header", {"type", "text", "image", "video",
                                  "document"},
                    kind == "product_list");
  if (!h)
    return;
  // List and product_list headers are text only; button headers may be
  // media too.
  auto type = kind == "button"
                ? c.one_of(*h, "type", true,
                           {"text", "image", "video", "document"})
                : c.one_of(*h, "type", true, {"text"});
  if (!c.ok())
    return;
  for (auto& [name, value] : h->members)
    if (name != "type" && name != type)
      c.fail(codes::parameter_not_required,
             "unknown field '" + clip(h->name_of(name)) + "'");
  if (type == "text")
    c.text(*h, "text", true, max_header_chars);
  else if (auto m = c.need(*h, type))
    media_message::check(c, *m, type, h->name_of(type));
}

void check_text_part(message_checker& c, const message_fields& f,
                     std::string_view name, bool required, size_t max) {
  if (auto x = c.object(f, name, {"text"}, required))
    c.text(*x, "text", true, max);
}

void check_buttons(message_checker& c, const message_fields& action) {
  auto buttons = c.array(action, "buttons", true, 1, max_reply_buttons);
  if (buttons == nullptr)
    return;
  std::set<std::string> ids;
  std::set<std::string> titles;
  for (rapidjson::SizeType i = 0; i < buttons->Size() && c.ok(); ++i) {
    auto b = c.object((*buttons)[i], at(action.name_of("buttons"), i),
                      {"type", "reply"});
    if (!b)
      return;
    c.one_of(*b, "type", true, {"reply"});
    auto r = c.object(*b, "reply", {"id", "title"}, true);
    if (!r)
      return;
    c.text(*r, "id", true, max_button_id_chars);
    c.text(*r, "title", true, max_button_title_chars);
    unique(c, ids, *r, "id") && unique(c, titles, *r, "title");
  }
}

void check_list(message_checker& c, const message_fields& action) {
  c.text(action, "button", true, max_list_button_chars);
  auto sections = c.array(action, "sections", true, 1, max_sections);
  if (sections == nullptr)
    return;
  size_t rows_total = 0;
  std::set<std::string> ids;
  for (rapidjson::SizeType i = 0; i < sections->Size() && c.ok(); ++i) {
    auto s = c.object((*sections)[i], at(action.name_of("sections"), i),
                      {"title", "rows"});
    if (!s)
      return;
    // A title is required once there is more than one section.
    c.text(*s, "title", sections->Size() > 1, max_section_title_chars);
    auto rows = c.array(*s, "rows", true, 1, max_rows);
    if (rows == nullptr)
      return;
    rows_total += rows->Size();
    if (rows_total > max_rows) {
      c.fail(codes::invalid_parameter,
             action.name_of("sections") + " must have at most "
               + std::to_string(max_rows) + " rows in all");
      return;
    }
    for (rapidjson::SizeType j = 0; j < rows->Size() && c.ok(); ++j) {
      auto r = c.object((*rows)[j], at(s->name_of("rows"), j),
                        {"id", "title", "description"});
      if (!r)
        return;
      c.text(*r, "id", true, max_row_id_chars);
      c.text(*r, "title", true, max_row_title_chars);
      c.text(*r, "description", false, max_row_description_chars);
      unique(c, ids, *r, "id");
    }
  }
}

void check_product_list(message_checker& c, const message_fields& action) {
  c.text(action, "catalog_id", true, 128);
  auto sections = c.array(action, "sections", true, 1, max_sections);
  if (sections == nullptr)
    return;
  size_t total = 0;
  for (rapidjson::SizeType i = 0; i < sections->Size() && c.ok(); ++i) {
    auto s = c.object((*sections)[i], at(action.name_of("sections"), i),
                      {"title", "product_items"});
    if (!s)
      return;
    c.text(*s, "title", sections->Size() > 1, max_section_title_chars);
    auto items = c.array(*s, "product_items", true, 1, max_products);
    if (items == nullptr)
      return;
    total += items->Size();
    if (total > max_products) {
      c.fail(codes::invalid_parameter,
             action.name_of("sections") + " must have at most "
               + std::to_string(max_products) + " products in all");
      return;
    }
    for (rapidjson::SizeType j = 0; j < items->Size() && c.ok(); ++j)
      if (auto p = c.object((*items)[j], at(s->name_of("product_items"), j),
                            {"product_retailer_id"}))
        c.text(*p, "product_retailer_id", true, 128);
  }
}

} // namespace

void interactive_message::check(message_checker& c,
                                const rapidjson::Value& interactive) {
  auto f = c.object(interactive, "interactive",
                    {"type", "header", "body", "footer", "action"});
  if (!f)
    return;
  auto kind = c.one_of(*f, "type", true,
                       {"list", "button", "product", "product_list"});
  if (!c.ok())
    return;
  // A single-product message shows the product itself: no header, and
  // the body is optional.
  if (kind == "product" && f->get("header") != nullptr) {
    c.fail(codes::parameter_not_required,
           "unknown field 'interactive.header'");
    return;
  }
  check_header(c, *f, kind);
  check_text_part(c, *f, "body", kind != "product", max_body_chars);
  check_text_part(c, *f, "footer", false, max_footer_chars);
  std::optional<message_fields> action;
  if (kind == "button")
    action = c.object(*f, "action", {"buttons"}, true);
  else if (kind == "list")
    action = c.object(*f, "action", {"button", "sections"}, true);
  else if (kind == "product")
    action = c.object(*f, "action", {"catalog_id", "product_retailer_id"},
                      true);
  else
    action = c.object(*f, "action", {"catalog_id", "sections"}, true);
  if (!action)
    return;
  if (kind == "button") {
    check_buttons(c, *action);
  } else if (kind == "list") {
    check_list(c, *action);
  } else if (kind == "product") {
    c.text(*action, "catalog_id", true, 128);
    c.text(*action, "product_retailer_id", true, 128);
  } else {
    check_product_list(c, *action);
  }
}

} // namespace mc::http
