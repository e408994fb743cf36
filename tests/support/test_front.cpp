#include "support/test_front.hpp"

#include <cstdlib>
#include <dirent.h>
#include <httplib.h>
#include <stdexcept>
#include <unistd.h>

namespace mc::test {

test_front::test_front(const std::vector<uint16_t>& webapp_ports,
                       int rate_max, bool tls)
  : tls_(tls) {
  char tmpl[] = "/tmp/mc-front-XXXXXX";
  dir_ = ::mkdtemp(tmpl);
  port_ = free_port();
  std::string cmd = std::string{MC_SOURCE_DIR} + "/deploy/front-config --dir "
                    + dir_ + " --port " + std::to_string(port_)
                    + " --rate-max " + std::to_string(rate_max);
  if (tls_) {
    // HAProxy takes the certificate and its key in one file.
    auto tls_dir = dir_ + "/tls";
    auto pem = tls_dir + "/front.pem";
    auto issue = std::string{MC_SOURCE_DIR} + "/deploy/ca " + tls_dir
                 + " front >/dev/null 2>&1 && cat " + tls_dir + "/front.crt "
                 + tls_dir + "/front.key >" + pem;
    if (std::system(issue.c_str()) != 0)
      throw std::runtime_error("deploy/ca failed: " + issue);
    cmd += " --tls-crt " + pem;
  }
  for (auto p : webapp_ports)
    cmd += " --server 127.0.0.1:" + std::to_string(p);
  cmd += " >/dev/null";
  if (std::system(cmd.c_str()) != 0)
    throw std::runtime_error("deploy/front-config failed: " + cmd);
  proc_ = std::make_unique<child_process>(
    std::vector<std::string>{"/usr/sbin/haproxy", "-f",
                             dir_ + "/multiconnect-front.cfg"},
    dir_ + "/front.log");
}

test_front::~test_front() {
  proc_.reset();
  if (std::getenv("MC_KEEP_LOGS") == nullptr)
    std::system(("rm -rf " + dir_).c_str());
}

bool test_front::wait_ready(std::chrono::milliseconds timeout) {
  return eventually(
    [&] {
      auto ready = [](auto& cli) {
        cli.set_connection_timeout(std::chrono::milliseconds{500});
        cli.set_read_timeout(std::chrono::milliseconds{500});
        auto res = cli.Get("/healthz");
        return res && res->status == 200;
      };
      if (!tls_) {
        httplib::Client cli{"127.0.0.1", port_};
        return ready(cli);
      }
      httplib::SSLClient cli{"127.0.0.1", port_};
      cli.set_ca_cert_path(ca_file().c_str());
      cli.enable_server_certificate_verification(true);
      return ready(cli);
    },
    timeout);
}

int test_front::open_fds() const {
  int n = 0;
  if (DIR* d = ::opendir(("/proc/" + std::to_string(pid()) + "/fd").c_str())) {
    while (dirent* e = ::readdir(d))
      if (e->d_name[0] != '.')
        ++n;
    ::closedir(d);
  }
  return n;
}

} // namespace mc::test
