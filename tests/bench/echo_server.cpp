/// The HTTP baseline for benchmarks: a tuned cpp-httplib server that does
/// what an HTTP front does for a send (parse and check the JSON body, make an
/// id, answer 201) without the cluster behind it. Its msg/s on a box is the
/// ceiling our webapp is measured against in the same run.
///
///   echo_server [--host 127.0.0.1] [--port N] [--threads T]
///
/// Prints "listening on PORT" once bound (port 0 picks a free one) and runs
/// until SIGINT or SIGTERM.

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "http/tuned_server.hpp"

namespace {

/// A random 27-character id in the alphabet of On-Prem message ids.
std::string random_id() {
  static const char alphabet[]
    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string id(27, 'A');
  uint64_t bits = 0;
  for (size_t i = 0; i < id.size(); ++i) {
    if (i % 10 == 0)
      bits = rng();
    id[i] = alphabet[bits & 63];
    bits >>= 6;
  }
  return id;
}

/// The On-Prem error shape.
std::string error_body(int code, const char* title, const std::string& details) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
  w.StartObject();
  w.Key("errors");
  w.StartArray();
  w.StartObject();
  w.Key("code");
  w.Int(code);
  w.Key("title");
  w.String(title);
  w.Key("details");
  w.String(details.c_str(), static_cast<rapidjson::SizeType>(details.size()));
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return buf.GetString();
}

void usage() {
  std::fprintf(stderr,
               "usage: echo_server [--host H] [--port N] [--threads T]\n");
}

} // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  int port = 0;
  mc::http::server_tuning tuning;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        usage();
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--host")
      host = next();
    else if (arg == "--port")
      port = std::atoi(next());
    else if (arg == "--threads")
      tuning.threads = std::atoi(next());
    else {
      usage();
      return 2;
    }
  }

  // Block the stop signals in every thread; one thread waits for them. This
  // keeps signal handling out of the pool threads httplib starts later.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  httplib::Server srv;
  srv.Post("/v1/messages", [](const httplib::Request& req,
                              httplib::Response& res) {
    rapidjson::Document doc;
    doc.Parse(req.body.data(), req.body.size());
    if (doc.HasParseError() || !doc.IsObject()) {
      res.status = 400;
      res.set_content(error_body(1008, "Required parameter is missing",
                                 "body is not a JSON object"),
                      "application/json");
      return;
    }
    // Any message type: "to", and the object its "type" names ("text"
    // when absent), so text and template runs both have a baseline.
    auto to = doc.FindMember("to");
    auto type = doc.FindMember("type");
    const char* kind = type != doc.MemberEnd() && type->value.IsString()
                         ? type->value.GetString()
                         : "text";
    auto content = doc.FindMember(kind);
    if (to == doc.MemberEnd() || !to->value.IsString()
        || content == doc.MemberEnd() || !content->value.IsObject()) {
      res.status = 400;
      res.set_content(error_body(1008, "Required parameter is missing",
                                 "need \"to\" and the object of its type"),
                      "application/json");
      return;
    }
    res.status = 201;
    res.set_content("{\"messages\":[{\"id\":\"" + random_id() + "\"}]}",
                    "application/json");
  });
  srv.Get("/v1/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"health\":{\"gateway_status\":\"connected\"}}",
                    "application/json");
  });

  int bound = mc::http::bind_tuned(srv, host, port, tuning);
  if (bound == 0) {
    std::fprintf(stderr, "echo_server: cannot bind %s:%d\n", host.c_str(), port);
    return 1;
  }

  std::thread stopper([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    // stop() is ignored until the accept loop runs; wait for it (bounded).
    for (int i = 0; i < 1000 && !srv.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    srv.stop();
  });

  std::printf("listening on %d\n", bound);
  std::fflush(stdout);
  bool ok = mc::http::listen_tuned(srv);
  // The accept loop can end on its own (socket error): wake the stopper.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return ok ? 0 : 1;
}
