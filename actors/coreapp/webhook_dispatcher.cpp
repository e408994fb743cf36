#include "actors/coreapp/webhook_dispatcher.hpp"

#include <algorithm>
#include <future>

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

/// One webhook POST's worth of callbacks.
struct post_batch {
  std::vector<int64_t> ids;
  std::vector<std::string> statuses, messages;
  int max_attempts = 0;
};

/// Splits due callbacks, oldest first, into POSTs of at most `size`.
std::vector<post_batch> split_batches(std::vector<callback_row> rows,
                                      size_t size) {
  std::vector<post_batch> out;
  for (auto& row : rows) {
    if (out.empty() || out.back().ids.size() == size)
      out.emplace_back();
    auto& b = out.back();
    b.ids.push_back(row.id);
    (row.kind == "message" ? b.messages : b.statuses)
      .push_back(std::move(row.payload));
    b.max_attempts = std::max(b.max_attempts, row.attempts);
  }
  return out;
}

/// Deletes the callbacks posted but not yet deleted (and keeps their keys,
/// callback_store); throws, keeping them, if the database fails. Done
/// before anything is read as due, so that a delete lost to a database
/// outage does not post them again when it ends.
void record_posted(self_ptr self) {
  auto& st = self->state;
  if (st.posted.empty())
    return;
  delete_callbacks(db(self), st.posted);
  st.posted.clear();
}

/// Delivers due callbacks with up to webhooks.max_concurrent_requests POSTs
/// in flight at once for this coreapp (all its shards together), as the
/// On-Prem setting caps the webhook requests of one coreapp
/// (developers.facebook.com/docs/whatsapp/api/settings/app). Fewer due
/// callbacks than one batch make one POST. Returns true if every POST was
/// a full batch (more may be due). Without a webhook URL nothing is
/// posted: the callbacks wait in the queue (bounded by its cap and expiry)
/// until one is set. Only callbacks of shards the map gives to this node
/// are read, so a deposed owner still reaching the database posts nothing
/// of a shard that moved, at once, as the group commit is fenced.
bool dispatch_once(self_ptr self, const std::vector<int32_t>& shards) {
  auto& st = self->state;
  auto settings = st.cfg.settings->get();
  record_posted(self);
  if (settings.webhook_url.empty() || shards.empty())
    return false;
  auto lanes = std::max(1, settings.max_concurrent_requests);
  auto batches = split_batches(
    due_callbacks(db(self), st.cfg.node_id, shards, st.cfg.batch * lanes),
    static_cast<size_t>(st.cfg.batch));
  if (batches.empty())
    return false;
  std::vector<std::future<std::optional<std::string>>> posts;
  posts.reserve(batches.size());
  for (auto& b : batches)
    posts.push_back(std::async(std::launch::async, [&settings, &b] {
      return post_webhook(settings.webhook_url,
                          webhook_body(b.statuses, b.messages),
                          std::chrono::seconds{5});
    }));
  bool all_full = batches.size() == static_cast<size_t>(lanes);
  std::vector<std::pair<const post_batch*, int64_t>> retries;
  for (size_t i = 0; i < batches.size(); ++i) {
    auto& b = batches[i];
    auto error = posts[i].get();
    if (st.cfg.stats) {
      using type = coreapp_stats::callback_type;
      st.cfg.stats->callback_posted(type::status_change, !error,
                                    static_cast<int64_t>(b.statuses.size()));
      st.cfg.stats->callback_posted(type::inbound_message, !error,
                                    static_cast<int64_t>(b.messages.size()));
    }
    if (!error) {
      st.posted.insert(st.posted.end(), b.ids.begin(), b.ids.end());
      st.delivered += b.ids.size();
      all_full = all_full && b.ids.size() == static_cast<size_t>(st.cfg.batch);
      continue;
    }
    all_full = false;
    ++st.failed_posts;
    auto delay = callback_backoff_ms(settings, b.max_attempts + 1);
    log_error(st.cfg.node_id, "webhook delivery of ", b.ids.size(),
              " callbacks failed (", *error, "); retrying in ", delay, " ms");
    retries.emplace_back(&b, delay);
  }
  record_posted(self);
  for (auto& [b, delay] : retries)
    retry_callbacks(db(self), b->ids, delay);
  return all_full;
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
