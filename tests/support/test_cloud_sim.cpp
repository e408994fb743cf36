#include "support/test_cloud_sim.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace mc::test {

namespace {

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out{path, std::ios::trunc};
  out << text << '\n';
}

} // namespace

test_cloud_sim::test_cloud_sim(const std::string& name,
                               std::vector<std::string> extra)
  : token_("EAAtest" + name), secret_("app-secret-" + name) {
  char tmpl[] = "/tmp/mc-cloud-sim-XXXXXX";
  if (!::mkdtemp(tmpl))
    throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  write_file(dir_ + "/token", token_);
  write_file(dir_ + "/secret", secret_);
  port_ = free_port();
  query_port_ = free_port();
  std::vector<std::string> argv{multiconnect_binary(),
                                "--role", "cloud-sim",
                                "--node-id", name,
                                "--http-port", std::to_string(port_),
                                "--sim-query-port", std::to_string(query_port_),
                                "--cloud-token-file", dir_ + "/token",
                                "--cloud-app-secret-file", dir_ + "/secret"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  proc_ = std::make_unique<child_process>(argv, dir_ + "/sim.log");
}

test_cloud_sim::~test_cloud_sim() {
  proc_.reset();
  std::system(("rm -rf " + dir_).c_str());
}

bool test_cloud_sim::wait_ready(std::chrono::milliseconds timeout) {
  return eventually(
    [this] {
      httplib::Client q{"127.0.0.1", query_port_};
      q.set_connection_timeout(0, 200000);
      auto res = q.Get("/healthz");
      return res && res->status == 200;
    },
    timeout);
}

void test_cloud_sim::set_token(const std::string& token) {
  token_ = token;
  // A new name and rename: the simulator never reads a half-written file.
  write_file(dir_ + "/token.new", token);
  std::rename((dir_ + "/token.new").c_str(), (dir_ + "/token").c_str());
}

std::unique_ptr<httplib::Client> test_cloud_sim::graph() const {
  auto cli = std::make_unique<httplib::Client>("127.0.0.1", port_);
  cli->set_bearer_token_auth(token_.c_str());
  cli->set_read_timeout(10, 0);
  return cli;
}

std::string test_cloud_sim::messages_path() {
  return "/v19.0/" + phone_number_id() + "/messages";
}

httplib::Result test_cloud_sim::send(const std::string& body) const {
  return graph()->Post(messages_path().c_str(), body, "application/json");
}

rapidjson::Document test_cloud_sim::query(const std::string& path) const {
  rapidjson::Document doc;
  httplib::Client q{"127.0.0.1", query_port_};
  auto res = q.Get(path.c_str());
  if (res)
    doc.Parse(res->body.c_str(), res->body.size());
  if (!res || doc.HasParseError())
    doc.SetObject();
  return doc;
}

int test_cloud_sim::control(const std::string& path,
                            const std::string& body) const {
  httplib::Client q{"127.0.0.1", query_port_};
  auto res = q.Post(path.c_str(), body, "application/json");
  return res ? res->status : 0;
}

std::string test_cloud_sim::log() const {
  return proc_ ? proc_->log() : std::string{};
}

} // namespace mc::test
