#include "http/cloud_sim/cloud_sim_inbound.hpp"

#include <chrono>
#include <random>

#include "http/cloud_sim/cloud_send_request.hpp"
#include "runtime/json_util.hpp"
#include "runtime/sha256.hpp"

namespace mc {

namespace {

const char* sample_mime(const std::string& type) {
  if (type == "image")
    return "image/jpeg";
  if (type == "audio")
    return "audio/ogg";
  if (type == "video")
    return "video/mp4";
  if (type == "sticker")
    return "image/webp";
  return "application/pdf";
}

bool is_media_type(const std::string& t) {
  return t == "audio" || t == "document" || t == "image" || t == "sticker"
         || t == "video";
}

/// The sample object of `type` as JSON, empty for a type without one.
std::string sample_object(const std::string& type) {
  if (type == "text")
    return R"({"body":"hello from the simulator"})";
  if (type == "location")
    return R"({"latitude":37.483307,"longitude":-122.148981,)"
           R"("name":"Pablo Morales","address":"1 Hacker Way, Menlo Park"})";
  if (type == "interactive")
    return R"({"type":"button_reply",)"
           R"("button_reply":{"id":"yes","title":"Yes"}})";
  if (type == "button")
    return R"({"payload":"track","text":"Track my order"})";
  if (type == "reaction")
    return R"({"message_id":"wamid.unknown","emoji":"\ud83d\udc4d"})";
  if (type == "contacts")
    return R"([{"name":{"formatted_name":"Ann Lee","first_name":"Ann"},)"
           R"("phones":[{"phone":"+1 631 555 0101","type":"CELL"}]}])";
  return {};
}

int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

/// What one inbound message is made of, before it is written.
struct inbound_parts {
  std::string from; ///< empty: the user hides the number
  std::string user_id;
  std::string name = "Simulated User";
  std::string id;
  std::string type;
  std::string object; ///< the type's object (JSON)
};

cloud_webhook_event build_event(const inbound_parts& p) {
  cloud_webhook_event e;
  e.is_message = true;
  {
    rapidjson::StringBuffer buf;
    json_writer w{buf};
    w.StartObject();
    w.Key("profile");
    w.StartObject();
    write_member(w, "name", p.name);
    w.EndObject();
    if (!p.from.empty())
      write_member(w, "wa_id", p.from);
    write_member(w, "user_id", p.user_id);
    w.EndObject();
    e.contact.assign(buf.GetString(), buf.GetSize());
  }
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  if (!p.from.empty())
    write_member(w, "from", p.from);
  write_member(w, "from_user_id", p.user_id);
  write_member(w, "id", p.id);
  write_member(w, "timestamp", std::to_string(now_s()));
  write_member(w, "type", p.type);
  w.Key(p.type.c_str(), static_cast<rapidjson::SizeType>(p.type.size()));
  auto kind = p.object.front() == '[' ? rapidjson::kArrayType
                                      : rapidjson::kObjectType;
  w.RawValue(p.object.c_str(), p.object.size(), kind);
  w.EndObject();
  e.object.assign(buf.GetString(), buf.GetSize());
  return e;
}

} // namespace

cloud_sim_inbound::cloud_sim_inbound(const cloud_sim_config& cfg,
                                     std::shared_ptr<cloud_sim_ledger> ledger,
                                     std::shared_ptr<cloud_sim_media> media,
                                     std::shared_ptr<cloud_sim_webhooks> hooks)
  : cfg_(cfg),
    ledger_(std::move(ledger)),
    media_(std::move(media)),
    webhooks_(std::move(hooks)) {
  // Nothing else: start() begins the random traffic.
}

cloud_sim_inbound::~cloud_sim_inbound() {
  stop();
}

std::string cloud_sim_inbound::bsuid_for(const std::string& phone) {
  // 20 digits derived from the number: stable per user, as a real BSUID
  // is per user and business.
  auto h = sha256_hex(phone);
  std::string digits;
  for (size_t i = 0; digits.size() < 20 && i < h.size(); ++i)
    digits += static_cast<char>('0' + (h[i] % 10));
  return "US." + digits;
}

cloud_inbound_result cloud_sim_inbound::inject(std::string_view body) {
  rapidjson::Document doc;
  std::string why;
  if (!parse_json_object(body, doc, why))
    return cloud_inbound_refusal{400, why};
  auto get = [&doc](const char* k) -> std::string {
    auto i = doc.FindMember(k);
    return i != doc.MemberEnd() && i->value.IsString()
             ? std::string{as_view(i->value)}
             : std::string{};
  };
  inbound_parts p;
  p.from = get("from");
  p.user_id = get("user_id");
  if (p.from.empty() && p.user_id.empty())
    return cloud_inbound_refusal{400, "from or user_id is required"};
  if (!p.user_id.empty() && !is_bsuid(p.user_id))
    return cloud_inbound_refusal{400, "user_id is not a BSUID (CC.digits)"};
  if (p.user_id.empty())
    p.user_id = bsuid_for(p.from);
  if (auto h = doc.FindMember("hide_number");
      h != doc.MemberEnd() && h->value.IsBool() && h->value.GetBool())
    p.from.clear();
  if (auto n = get("name"); !n.empty())
    p.name = n;
  p.id = get("id");
  if (p.id.empty())
    p.id = cloud_sim_ledger::make_wamid(p.from.empty() ? p.user_id : p.from);
  if (auto text = get("body"); !text.empty()) {
    p.type = "text";
    rapidjson::StringBuffer buf;
    json_writer w{buf};
    w.StartObject();
    write_member(w, "body", text);
    w.EndObject();
    p.object.assign(buf.GetString(), buf.GetSize());
  } else if (auto m = doc.FindMember("message"); m != doc.MemberEnd()) {
    if (!m->value.IsObject())
      return cloud_inbound_refusal{400, "message must be an object"};
    auto t = m->value.FindMember("type");
    if (t == m->value.MemberEnd() || !t->value.IsString())
      return cloud_inbound_refusal{400, "message.type is required"};
    p.type = std::string{as_view(t->value)};
    auto o = m->value.FindMember(p.type.c_str());
    if (o == m->value.MemberEnd()
        || !(o->value.IsObject() || o->value.IsArray()))
      return cloud_inbound_refusal{400, "message." + p.type
                                          + " is required"};
    rapidjson::StringBuffer buf;
    json_writer w{buf};
    o->value.Accept(w);
    p.object.assign(buf.GetString(), buf.GetSize());
  } else {
    p.type = get("type");
    if (p.type.empty())
      return cloud_inbound_refusal{400, "body, type or message is required"};
    if (!is_media_type(p.type)) {
      p.object = sample_object(p.type);
      if (p.object.empty())
        return cloud_inbound_refusal{400, "no sample of type " + p.type
                                            + "; give message"};
    }
  }
  if (is_media_type(p.type)) {
    // A media message names media the simulator holds: the one given, or
    // a sample stored now, with its mime_type and sha256.
    rapidjson::Document obj;
    if (!p.object.empty())
      obj.Parse(p.object.c_str(), p.object.size());
    else
      obj.SetObject();
    std::optional<cloud_media_entry> medium;
    auto id = obj.FindMember("id");
    if (id != obj.MemberEnd() && id->value.IsString()) {
      medium = media_->get(std::string{as_view(id->value)});
      if (!medium)
        return cloud_inbound_refusal{400, "no media with that id"};
    } else {
      medium = media_->put(sample_mime(p.type),
                           "sample " + p.type + " " + p.id);
      if (!medium)
        return cloud_inbound_refusal{503, "media store full"};
    }
    rapidjson::StringBuffer buf;
    json_writer w{buf};
    w.StartObject();
    for (auto& mm : obj.GetObject()) {
      auto k = as_view(mm.name);
      if (k == "id" || k == "mime_type" || k == "sha256")
        continue;
      w.Key(mm.name.GetString(), mm.name.GetStringLength());
      mm.value.Accept(w);
    }
    write_member(w, "mime_type", medium->mime_type);
    write_member(w, "sha256", medium->sha256);
    write_member(w, "id", medium->id);
    w.EndObject();
    p.object.assign(buf.GetString(), buf.GetSize());
  }
  std::vector<cloud_timed_event> events;
  events.emplace_back(build_event(p), 0);
  if (!webhooks_->submit(std::move(events)))
    return cloud_inbound_refusal{503, "webhook queue full"};
  ledger_->record_inbound(p.id);
  return p.id;
}

void cloud_sim_inbound::start() {
  if (cfg_.inbound_rate <= 0 || running_.exchange(true))
    return;
  thread_ = std::thread{[this] { run(); }};
}

void cloud_sim_inbound::stop() {
  running_.store(false);
  if (thread_.joinable())
    thread_.join();
}

void cloud_sim_inbound::run() {
  std::mt19937_64 rng{std::random_device{}()};
  auto period = std::chrono::duration<double>{1.0 / cfg_.inbound_rate};
  auto next = std::chrono::steady_clock::now();
  uint64_t n = 0;
  while (running_.load()) {
    next += std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      period);
    std::this_thread::sleep_until(next);
    auto user = rng() % static_cast<uint64_t>(std::max(1, cfg_.users));
    auto phone = std::to_string(16315550000ULL + user);
    // Every fifth user hides the number (a username user).
    std::string body = "{\"from\":\"" + phone + "\",\"hide_number\":"
                       + (user % 5 == 4 ? "true" : "false")
                       + ",\"body\":\"random message "
                       + std::to_string(++n) + "\"}";
    inject(body);
    // Catch up at most one period late: a stall must not turn into a burst.
    auto now = std::chrono::steady_clock::now();
    if (next < now - period)
      next = now;
  }
}

} // namespace mc
