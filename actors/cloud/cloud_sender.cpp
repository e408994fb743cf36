#include "actors/cloud/cloud_sender.hpp"

#include <algorithm>

#include <caf/all.hpp>

#include "actors/protocol/errors.hpp"
#include "runtime/json_util.hpp"
#include "runtime/log.hpp"
#include "runtime/store/cloud_store.hpp"

namespace mc {

namespace {

using self_ptr = cloud_sender_actor::stateful_pointer<cloud_sender_state>;
using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// Attempts per tick: the mailbox (new jobs, uploads) is read in between.
constexpr int attempts_per_tick = 32;

/// The pair rate limit: `first_ms`, doubling, at most a minute.
clock::duration pair_backoff(int first_ms, int attempts) {
  auto ms = static_cast<long long>(first_ms) << std::min(attempts - 1, 4);
  return milliseconds{std::min(ms, 60000LL)};
}

/// Network errors and 5xx: 250 ms, doubling, at most 30 s.
clock::duration transient_backoff(int attempts) {
  auto ms = 250LL << std::min(attempts - 1, 7);
  return milliseconds{std::min(ms, 30000LL)};
}

/// The Cloud API's mark-as-read body.
std::string read_body(const std::string& id) {
  rapidjson::StringBuffer buf;
  json_writer w{buf};
  w.StartObject();
  write_member(w, "messaging_product", "whatsapp");
  write_member(w, "status", "read");
  write_member(w, "message_id", id);
  w.EndObject();
  return buf.GetString();
}

void arm(self_ptr self, clock::duration delay) {
  auto& st = self->state;
  auto due = clock::now() + delay;
  if (st.tick_due && *st.tick_due <= due)
    return;
  st.tick_due = due;
  self->delayed_send(self, delay, caf::tick_atom::value);
}

void enqueue(self_ptr self, cloud_entry e) {
  auto& st = self->state;
  auto& q = st.queues[e.job.recipient];
  if (q.entries.empty())
    st.ready.push_back(e.job.recipient);
  q.entries.push_back(std::move(e));
}

/// Records the wamid; false while the database cannot take it (the entry
/// stays and is recorded on a later tick, never sent again).
bool record(self_ptr self, cloud_entry& e) {
  auto& st = self->state;
  try {
    st.ctx->db().with([&](pqxx::connection& c) {
      record_cloud_wamid(c, e.job.id, e.wamid, e.job.shard, e.job.recipient);
      return 0;
    });
    return true;
  } catch (const std::exception& ex) {
    log_error("cloud", "cannot record wamid of ", e.job.id, ": ", ex.what());
    return false;
  }
}

void finish_sent(cloud_entry& e) {
  if (e.read)
    e.read_done.deliver(caf::ok_atom::value);
  else
    e.sent.deliver(cloud_outcome{cloud_result::sent, e.wamid, 0, {}});
}

void finish_fenced(cloud_entry& e) {
  if (e.read)
    e.read_done.deliver(make_error(mc_errc::upstream_fenced, "shard moved"));
  else
    e.sent.deliver(cloud_outcome{cloud_result::fenced, {}, 0, {}});
}

void finish_failed(cloud_entry& e, const cloud_answer& a) {
  if (e.read) {
    e.read_done.deliver(make_error(mc_errc::upstream_refused, a.cloud_title));
    return;
  }
  e.sent.deliver(
    cloud_outcome{cloud_result::failed, {}, a.onprem_code, a.onprem_title});
}

/// What one attempt at a recipient's first job came to.
enum class step {
  /// The job ended: pop it, go on.
  done,
  /// The recipient waits (its not_before is set): go on with the others.
  hold,
  /// Nothing can be sent now (throttled, no token): stop this tick.
  stop,
};

step attempt(self_ptr self, cloud_recipient_queue& q) {
  auto& st = self->state;
  auto& ctx = *st.ctx;
  auto& e = q.entries.front();
  if (ctx.fenced(e.job.shard, e.job.epoch)) {
    finish_fenced(e);
    return step::done;
  }
  if (!e.wamid.empty()) {
    if (!record(self, e)) {
      q.not_before = clock::now() + milliseconds{500};
      return step::hold;
    }
    finish_sent(e);
    return step::done;
  }
  auto token = ctx.token().current();
  if (!token) {
    arm(self, std::chrono::seconds{1});
    return step::stop;
  }
  if (auto wait = ctx.pacer().take(); wait > clock::duration::zero()) {
    arm(self, wait);
    return step::stop;
  }
  auto a = st.client->post_message(*token, e.job.body);
  auto& n = ctx.counters();
  switch (a.kind) {
    case cloud_error_class::none:
      if (e.read) {
        finish_sent(e);
        return step::done;
      }
      ++n.sent;
      e.wamid = a.wamid;
      ctx.remember(e.wamid, cloud_sent{e.job.id, e.job.recipient});
      if (!record(self, e)) {
        q.not_before = clock::now() + milliseconds{500};
        return step::hold;
      }
      finish_sent(e);
      return step::done;
    case cloud_error_class::throughput:
      ++n.throttled;
      ctx.pacer().slow_down();
      arm(self, std::chrono::seconds{1});
      return step::stop;
    case cloud_error_class::pair_limit:
      ++n.pair_limited;
      q.not_before = clock::now() + pair_backoff(ctx.settings().pair_backoff_ms, ++e.attempts);
      return step::hold;
    case cloud_error_class::token:
      ++n.token_refused;
      log_error("cloud", "the Cloud API refused the access token (",
                a.cloud_code, "): sending stops until the token file changes");
      ctx.token().refused(*token);
      arm(self, std::chrono::seconds{1});
      return step::stop;
    case cloud_error_class::transient:
      ++n.transient;
      q.not_before = clock::now() + transient_backoff(++e.attempts);
      return step::hold;
    case cloud_error_class::permanent:
      ++n.failed;
      finish_failed(e, a);
      return step::done;
  }
  return step::done;
}

/// Works on the ready recipients, round robin, for one tick.
void run(self_ptr self) {
  auto& st = self->state;
  auto now = clock::now();
  std::optional<clock::time_point> next_hold;
  size_t skipped = 0;
  for (int n = 0; n < attempts_per_tick && skipped < st.ready.size(); ++n) {
    auto r = st.ready.front();
    st.ready.pop_front();
    auto& q = st.queues[r];
    if (q.not_before > now) {
      st.ready.push_back(r);
      ++skipped;
      if (!next_hold || q.not_before < *next_hold)
        next_hold = q.not_before;
      continue;
    }
    auto s = attempt(self, q);
    if (s == step::stop) {
      st.ready.push_front(r);
      return;
    }
    skipped = 0;
    if (s == step::done)
      q.entries.pop_front();
    if (q.entries.empty()) {
      st.queues.erase(r);
      continue;
    }
    st.ready.push_back(r);
    if (s == step::hold && (!next_hold || q.not_before < *next_hold))
      next_hold = q.not_before;
    now = clock::now();
  }
  if (st.ready.empty())
    return;
  if (skipped < st.ready.size())
    self->send(self, caf::tick_atom::value);
  else if (next_hold)
    arm(self, *next_hold - clock::now());
}

} // namespace

cloud_sender_actor::behavior_type
cloud_sender(cloud_sender_actor::stateful_pointer<cloud_sender_state> self,
             std::shared_ptr<cloud_context> ctx) {
  self->state.client = std::make_unique<cloud_client>(ctx->settings());
  self->state.ctx = std::move(ctx);
  return {
    [=](cloud_send_atom, cloud_job& job) {
      cloud_entry e;
      e.job = std::move(job);
      e.sent = self->make_response_promise<cloud_outcome>();
      auto promise = e.sent;
      enqueue(self, std::move(e));
      run(self);
      return promise;
    },
    [=](mark_read_atom, int32_t shard, int64_t epoch, std::string& id,
        std::string& sender) {
      cloud_entry e;
      e.read = true;
      e.job = cloud_job{shard, epoch, id, std::move(sender), read_body(id)};
      e.read_done = self->make_response_promise<caf::ok_atom>();
      auto promise = e.read_done;
      enqueue(self, std::move(e));
      run(self);
      return promise;
    },
    [=](upload_media_atom, const std::string&, const std::string& id,
        const std::string& mime, const std::string&,
        const std::string& bytes) -> caf::result<caf::ok_atom> {
      auto& st = self->state;
      auto token = st.ctx->token().current();
      if (!token)
        return make_error(mc_errc::upstream_refused, "no usable token");
      auto up = st.client->upload_media(*token, mime, bytes);
      if (up.answer.kind == cloud_error_class::token)
        st.ctx->token().refused(*token);
      if (up.media_id.empty())
        return make_error(up.answer.kind == cloud_error_class::permanent
                            ? mc_errc::media_invalid
                            : mc_errc::upstream_refused,
                          up.answer.cloud_title);
      try {
        st.ctx->db().with([&](pqxx::connection& c) {
          record_cloud_media(c, id, up.media_id);
          return 0;
        });
      } catch (const std::exception& ex) {
        return make_error(mc_errc::database, ex.what());
      }
      return caf::ok_atom::value;
    },
    [=](download_media_atom, const std::string&, const std::string& id)
      -> caf::result<std::string, std::string> {
      auto& st = self->state;
      auto token = st.ctx->token().current();
      if (!token)
        return make_error(mc_errc::upstream_refused, "no usable token");
      auto down = st.client->download_media(*token, id);
      if (down.answer.kind == cloud_error_class::none)
        return {std::move(down.mime_type), std::move(down.bytes)};
      if (down.answer.kind == cloud_error_class::token)
        st.ctx->token().refused(*token);
      return make_error(down.answer.kind == cloud_error_class::permanent
                          ? mc_errc::media_unknown
                          : mc_errc::upstream_refused,
                        down.answer.cloud_title);
    },
    [=](caf::tick_atom) {
      self->state.tick_due.reset();
      run(self);
    },
  };
}

} // namespace mc
