#include "http/cloud_sim/cloud_webhook_envelope.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "runtime/json_util.hpp"

namespace mc {

cloud_webhook_envelope::cloud_webhook_envelope(const cloud_sim_config& cfg)
  : waba_id_(cfg.waba_id),
    display_phone_number_(cfg.display_phone_number),
    phone_number_id_(cfg.phone_number_id) {
  // Nothing else: the ids are all an envelope needs.
}

std::string cloud_webhook_envelope::body(
  const std::vector<cloud_webhook_event>& events) const {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  auto raw = [&w](const std::string& json) {
    w.RawValue(json.c_str(), json.size(), rapidjson::kObjectType);
  };
  w.StartObject();
  write_member(w, "object", "whatsapp_business_account");
  w.Key("entry");
  w.StartArray();
  w.StartObject();
  write_member(w, "id", waba_id_);
  w.Key("changes");
  w.StartArray();
  w.StartObject();
  w.Key("value");
  w.StartObject();
  write_member(w, "messaging_product", "whatsapp");
  w.Key("metadata");
  w.StartObject();
  write_member(w, "display_phone_number", display_phone_number_);
  write_member(w, "phone_number_id", phone_number_id_);
  w.EndObject();
  bool messages = !events.empty() && events.front().is_message;
  if (messages) {
    w.Key("contacts");
    w.StartArray();
    for (auto& e : events)
      raw(e.contact);
    w.EndArray();
  }
  w.Key(messages ? "messages" : "statuses");
  w.StartArray();
  for (auto& e : events)
    raw(e.object);
  w.EndArray();
  w.EndObject();
  write_member(w, "field", "messages");
  w.EndObject();
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

std::string cloud_webhook_envelope::signature(const std::string& secret,
                                          const std::string& body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac,
       &len);
  static const char hex[] = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[mac[i] >> 4];
    out += hex[mac[i] & 15];
  }
  return out;
}

} // namespace mc
