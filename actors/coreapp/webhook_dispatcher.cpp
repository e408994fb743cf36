#include "actors/coreapp/webhook_dispatcher.hpp"

#include <caf/all.hpp>
#include <httplib.h>
#include <pqxx/pqxx>

#include "actors/coreapp/coreapp_node.hpp"
#include "actors/lifecycle.hpp"
#include "runtime/callback_payload.hpp"
#include "runtime/db_pool.hpp"
#include "runtime/log.hpp"
#include "runtime/store/callback_store.hpp"

namespace mc {

webhook_dispatcher_state::~webhook_dispatcher_state() = default;

std::optional<std::string> post_webhook(const std::string& url,
                                        const std::string& body,
                                        std::chrono::milliseconds timeout) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos)
    return "webhook url has no scheme";
  auto path_start = url.find('/', scheme_end + 3);
  auto base = url.substr(0, path_start);
  auto path = path_start == std::string::npos ? "/" : url.substr(path_start);
  httplib::Client cli{base};
  cli.set_connection_timeout(timeout);
  cli.set_read_timeout(timeout);
  cli.set_write_timeout(timeout);
  auto res = cli.Post(path.c_str(), body, "application/json");
  if (!res)
    return "webhook unreachable: " + httplib::to_string(res.error());
  if (res->status != 200)
    return "webhook answered " + std::to_string(res->status);
  return std::nullopt;
}

namespace {

using self_ptr = caf::stateful_actor<webhook_dispatcher_state>*;

pqxx::connection& db(self_ptr self) {
  auto& st = self->state;
  return st.db.get();
}

/// Delivers one batch of due callbacks; returns true if a full batch went
/// out (more may be due).
bool dispatch_once(self_ptr self, const std::vector<int32_t>& shards) {
  auto& st = self->state;
  auto settings = st.cfg.settings->get();
  if (settings.webhook_url.empty() || shards.empty())
    return false;
  std::vector<int64_t> ids;
  std::vector<std::string> statuses, messages;
  int max_attempts = 0;
  for (auto& row : due_callbacks(db(self), shards, st.cfg.batch)) {
    ids.push_back(row.id);
    (row.kind == "message" ? messages : statuses)
      .push_back(std::move(row.payload));
    max_attempts = std::max(max_attempts, row.attempts);
  }
  if (ids.empty())
    return false;
  auto body = webhook_body(statuses, messages);
  auto error = post_webhook(settings.webhook_url, body,
                            std::chrono::seconds{5});
  if (st.cfg.stats) {
    using type = coreapp_stats::callback_type;
    st.cfg.stats->callback_posted(type::status_change, !error,
                                  static_cast<int64_t>(statuses.size()));
    st.cfg.stats->callback_posted(type::inbound_message, !error,
                                  static_cast<int64_t>(messages.size()));
  }
  if (!error) {
    delete_callbacks(db(self), ids);
    st.delivered += ids.size();
    return ids.size() == static_cast<size_t>(st.cfg.batch);
  }
  ++st.failed_posts;
  auto delay = callback_backoff_ms(settings, max_attempts + 1);
  log_error(st.cfg.node_id, "webhook delivery of ", ids.size(),
            " callbacks failed (", *error, "); retrying in ", delay, " ms");
  retry_callbacks(db(self), ids, delay);
  return false;
}

} // namespace

caf::behavior webhook_dispatcher(
  caf::stateful_actor<webhook_dispatcher_state>* self,
  webhook_dispatcher_config cfg) {
  self->state.cfg = std::move(cfg);
  self->state.db = db_connection{self->state.cfg.db_uri};
  self->send(self, caf::tick_atom::value);
  return {
    [=](caf::tick_atom) {
      auto& st = self->state;
      // Ask the node which shards it owns now: callbacks follow the shard.
      self->request(st.cfg.node, std::chrono::seconds{1}, status_atom::value)
        .then(
          [=](const std::vector<int32_t>& shards) {
            bool more = false;
            try {
              for (int i = 0; i < 20; ++i) {
                more = dispatch_once(self, shards);
                if (!more)
                  break;
              }
            } catch (const std::exception& e) {
              self->state.db.reset();
              log_error(self->state.cfg.node_id, "webhook dispatch: ",
                        e.what());
            }
            self->delayed_send(self, self->state.cfg.poll, caf::tick_atom::value);
          },
          [=](const caf::error&) {
            self->delayed_send(self, self->state.cfg.poll, caf::tick_atom::value);
          });
    },
    [=](stop_atom) { self->quit(); },
  };
}

} // namespace mc
