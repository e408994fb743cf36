#include "http/messages/message_types.hpp"

namespace mc::http {

namespace {

/// Most contact cards in one message.
constexpr size_t max_contacts = 257;

/// Most entries of each list of a card (addresses, emails, phones, urls).
constexpr size_t max_entries = 20;

/// Longest value of any card field.
constexpr size_t max_field_chars = 1024;

/// Checks each element of the array member `name` of `f` as an object with
/// the string members `known`.
void check_entries(message_checker& c, const message_fields& f,
                   std::string_view name,
                   std::initializer_list<std::string_view> known) {
  auto xs = c.array(f, name, false, 0, max_entries);
  if (xs == nullptr)
    return;
  for (rapidjson::SizeType i = 0; i < xs->Size() && c.ok(); ++i) {
    auto e = c.object((*xs)[i],
                      f.name_of(name) + "[" + std::to_string(i) + "]", known);
    if (!e)
      return;
    for (auto k : known)
      c.text(*e, k, false, max_field_chars);
  }
}

/// "YYYY-MM-DD", as the reference writes the birthday.
bool is_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-')
    return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return false;
  auto month = (s[5] - '0') * 10 + (s[6] - '0');
  auto day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

void check_contact(message_checker& c, const rapidjson::Value& v,
                   std::string path) {
  auto f = c.object(v, std::move(path),
                    {"addresses", "birthday", "emails", "name", "org",
                     "phones", "urls"});
  if (!f)
    return;
  // name.formatted_name is the one required field of a card.
  auto name = c.object(*f, "name",
                       {"formatted_name", "first_name", "last_name",
                        "middle_name", "suffix", "prefix"},
                       true);
  if (!name)
    return;
  c.text(*name, "formatted_name", true, max_field_chars);
  for (auto k : {"first_name", "last_name", "middle_name", "suffix", "prefix"})
    c.text(*name, k, false, max_field_chars);
  check_entries(c, *f, "addresses",
                {"street", "city", "state", "zip", "country", "country_code",
                 "type"});
  check_entries(c, *f, "emails", {"email", "type"});
  check_entries(c, *f, "phones", {"phone", "type", "wa_id"});
  check_entries(c, *f, "urls", {"url", "type"});
  if (auto org = c.object(*f, "org", {"company", "department", "title"},
                          false))
    for (auto k : {"company", "department", "title"})
      c.text(*org, k, false, max_field_chars);
  if (c.text(*f, "birthday", false, 10) && f->get("birthday") != nullptr
      && !is_date(as_view(*f->get("birthday"))))
    c.fail(codes::invalid_parameter,
           f->name_of("birthday") + " must be a date YYYY-MM-DD");
}

} // namespace

void contacts_message::check(message_checker& c,
                             const rapidjson::Value& contacts) {
  // Contacts object: an array of cards; each needs name.formatted_name.
  // https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#contacts-object
  if (!contacts.IsArray()) {
    c.fail(codes::invalid_parameter,
           std::string{"contacts must be an array, got "}
             + json_kind(contacts));
    return;
  }
  if (contacts.Empty() || contacts.Size() > max_contacts) {
    c.fail(codes::invalid_parameter,
           "contacts must have 1 to " + std::to_string(max_contacts)
             + " elements, got " + std::to_string(contacts.Size()));
    return;
  }
  for (rapidjson::SizeType i = 0; i < contacts.Size() && c.ok(); ++i)
    check_contact(c, contacts[i], "contacts[" + std::to_string(i) + "]");
}

} // namespace mc::http
