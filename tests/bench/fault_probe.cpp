/// The fault benchmarks' client (tests/bench/rolling-bench): the load of the
/// e2e fault tests (tests/support/fault_load) against a running cluster,
/// with a webhook receiver of its own, then the counts on one line.
///
///   fault_probe --api URL [--api URL...] [--cacert FILE] --token T
///               --sim-port P [--rate R] [--duration S] [--inbound-rate X]
///               [--settle S]
///
/// Sets the cluster's webhook URL to its receiver (on 127.0.0.1), paces R
/// sends per second for S seconds and X inbound messages per second at the
/// simulator, waits up to --settle seconds for the statuses and inbound
/// messages, and prints the report. Exit code 0 only if no request failed
/// and nothing was lost.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include <httplib.h>

#include "support/fault_load.hpp"
#include "support/webhook_counter.hpp"

using namespace mc::test;

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: fault_probe --api URL [--api URL...] [--cacert FILE]\n"
               "                   --token T --sim-port P [--rate R]\n"
               "                   [--duration S] [--inbound-rate X] "
               "[--settle S]\n");
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  load_plan plan;
  int settle_s = 30;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc)
      return usage();
    std::string v = argv[++i];
    if (arg == "--api")
      plan.api.push_back(v);
    else if (arg == "--cacert")
      plan.ca_file = v;
    else if (arg == "--token")
      plan.token = v;
    else if (arg == "--sim-port")
      plan.sim_port = static_cast<uint16_t>(std::atoi(v.c_str()));
    else if (arg == "--rate")
      plan.rate = std::atoi(v.c_str());
    else if (arg == "--duration")
      plan.duration = std::chrono::seconds{std::atoi(v.c_str())};
    else if (arg == "--inbound-rate")
      plan.inbound_rate = std::atoi(v.c_str());
    else if (arg == "--settle")
      settle_s = std::atoi(v.c_str());
    else
      return usage();
  }
  if (plan.api.empty() || plan.token.empty() || plan.sim_port == 0
      || plan.rate <= 0)
    return usage();
  webhook_counter hook;
  httplib::Client api{plan.api.front()};
  if (!plan.ca_file.empty())
    api.set_ca_cert_path(plan.ca_file.c_str());
  auto patch = api.Patch("/v1/settings/application",
                         {{"Authorization", "Bearer " + plan.token}},
                         R"({"webhooks":{"url":")" + hook.url() + R"("}})",
                         "application/json");
  if (!patch || patch->status != 200) {
    std::fprintf(stderr, "fault_probe: cannot set the webhook URL (%d)\n",
                 patch ? patch->status : 0);
    return 2;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds{1500});
  fault_load load{plan, hook};
  load.start();
  auto r = load.count(std::chrono::seconds{settle_s});
  std::printf("%s\n", r.summary().c_str());
  bool pass = r.accepted > 0 && r.refused_total() == 0 && r.sends_lost == 0
              && r.statuses_lost == 0 && r.inbound_lost == 0
              && r.fencing_violations == 0 && r.duplicate_ratio() < 0.001;
  std::printf("%s\n", pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}
