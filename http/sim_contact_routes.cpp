#include "http/sim_contact_routes.hpp"

#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace mc {

void add_sim_contact_routes(httplib::Server& svr,
                            std::shared_ptr<sim_directory> directory) {
  svr.Post("/contacts/non_users", [directory](const httplib::Request& req,
                                              httplib::Response& res) {
    rapidjson::Document doc;
    doc.Parse(req.body.c_str());
    std::vector<std::string> numbers;
    bool ok = doc.IsObject() && doc.HasMember("numbers")
              && doc["numbers"].IsArray();
    if (ok)
      for (auto& n : doc["numbers"].GetArray()) {
        if (!n.IsString()) {
          ok = false;
          break;
        }
        numbers.emplace_back(n.GetString(), n.GetStringLength());
      }
    if (!ok) {
      res.status = 400;
      res.set_content(R"({"error":"expected {\"numbers\":[\"digits\",...]}"})",
                      "application/json");
      return;
    }
    directory->add_non_users(numbers);
    res.set_content(R"({"ok":true})", "application/json");
  });
  svr.Get("/contacts", [directory](const httplib::Request&,
                                   httplib::Response& res) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w{buf};
    w.StartObject();
    w.Key("checks");
    w.Uint64(directory->checks());
    w.Key("non_users");
    w.StartArray();
    for (auto& n : directory->non_users())
      w.String(n.c_str());
    w.EndArray();
    w.EndObject();
    res.set_content(buf.GetString(), buf.GetSize(), "application/json");
  });
}

} // namespace mc
