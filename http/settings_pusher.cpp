#include "http/settings_pusher.hpp"

#include <algorithm>
#include <vector>

#include <caf/all.hpp>

#include "actors/protocol/settings_push.hpp"
#include "actors/webapp/routing_table.hpp"
#include "runtime/log.hpp"

namespace mc::http {

size_t push_settings(webapp_context& ctx, const std::string& json,
                     std::chrono::milliseconds deadline) {
  if (!ctx.sys || !ctx.routes)
    return 0;
  // The owners' node actors, each once. A held shard (moving) is skipped
  // rather than waited for: its next owner polls the settings.
  std::vector<caf::actor> nodes;
  for (int32_t s = 0; s < ctx.routes->shards(); ++s) {
    if (ctx.routes->held(s))
      continue;
    auto r = ctx.routes->route(s);
    if (r && r->node
        && std::find(nodes.begin(), nodes.end(), r->node) == nodes.end())
      nodes.push_back(r->node);
  }
  if (nodes.empty())
    return 0;
  caf::scoped_actor self{*ctx.sys};
  auto until = std::chrono::steady_clock::now() + deadline;
  size_t missed = 0;
  // One node after the other: a cluster has a few dozen at most, and each
  // answers from memory.
  for (auto& node : nodes) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      until - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ++missed;
      continue;
    }
    auto to = caf::actor_cast<settings_push_actor>(node);
    self->request(to, left, settings_push_atom::value, json)
      .receive([](caf::ok_atom) {},
               [&](caf::error& err) {
                 ++missed;
                 log_error(ctx.node_id, "settings push to a coreapp failed: ",
                           ctx.sys->render(err),
                           "; it reads the change by its poll");
               });
  }
  return missed;
}

} // namespace mc::http
