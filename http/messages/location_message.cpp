#include "http/messages/message_types.hpp"

namespace mc::http {

void location_message::check(message_checker& c,
                             const rapidjson::Value& location) {
  // Location object: longitude and latitude required, name and address
  // optional.
  // https://developers.facebook.com/docs/whatsapp/on-premises/reference/messages#location-object
  auto f = c.object(location, "location",
                    {"longitude", "latitude", "name", "address"});
  if (!f)
    return;
  c.number(*f, "longitude", true, -180, 180);
  c.number(*f, "latitude", true, -90, 90);
  c.text(*f, "name", false, 1000);
  c.text(*f, "address", false, 1000);
}

} // namespace mc::http
