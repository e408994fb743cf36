#include "actors/coreapp/media_relay.hpp"

#include <memory>
#include <optional>

#include <caf/all.hpp>
#include <pqxx/pqxx>

#include "actors/protocol/errors.hpp"
#include "runtime/log.hpp"
#include "runtime/sha256.hpp"
#include "runtime/store/media_store.hpp"

namespace mc {

namespace {

using self_ptr = media_relay_actor::stateful_pointer<media_relay_state>;
using ok_promise = caf::typed_response_promise<caf::ok_atom>;

/// What one ensure_media request still has to upload.
struct upload_job {
  std::string account;
  upstream_media_actor upstream;
  std::vector<std::string> ids;
  size_t next = 0;
  ok_promise done;
};

caf::error database_error(self_ptr self, const std::exception& e) {
  self->state.db.reset();
  log_error("media_relay", e.what());
  return make_error(mc_errc::database, e.what());
}

/// Uploads the job's media one after the other, then answers.
void upload_next(self_ptr self, std::shared_ptr<upload_job> job) {
  if (job->next == job->ids.size()) {
    job->done.deliver(caf::ok_atom::value);
    return;
  }
  const auto& id = job->ids[job->next];
  std::optional<media_blob> blob;
  try {
    blob = find_media(self->state.db.get(), id);
  } catch (const std::exception& e) {
    job->done.deliver(database_error(self, e));
    return;
  }
  if (!blob) {
    job->done.deliver(make_error(mc_errc::media_unknown, id));
    return;
  }
  // The one copy a transfer needs: the message owns its bytes.
  std::string bytes{blob->bytes.get(), blob->bytes.size()};
  auto info = std::move(blob->info);
  blob.reset();
  self
    ->request(job->upstream, media_transfer_timeout, upload_media_atom::value,
              job->account, info.id, info.mime_type, info.sha256,
              std::move(bytes))
    .then(
      [self, job](caf::ok_atom) {
        ++job->next;
        upload_next(self, job);
      },
      [job](caf::error& err) { job->done.deliver(std::move(err)); });
}

caf::result<caf::ok_atom> fetch(self_ptr self, const std::string& account,
                                const upstream_media_actor& upstream,
                                const std::string& id) {
  auto done = self->make_response_promise<caf::ok_atom>();
  self
    ->request(upstream, media_transfer_timeout, download_media_atom::value,
              account, id)
    .then(
      [self, done, id](std::string& mime, std::string& bytes) mutable {
        media_info info{id, mime, sha256_hex(bytes),
                        static_cast<int64_t>(bytes.size())};
        try {
          // A repeated fetch finds the row there already: also done.
          insert_media(self->state.db.get(), info, bytes,
                       received_media_ttl_s);
          done.deliver(caf::ok_atom::value);
        } catch (const std::exception& e) {
          done.deliver(database_error(self, e));
        }
      },
      [done](caf::error& err) mutable { done.deliver(std::move(err)); });
  return done;
}

} // namespace

media_relay_actor::behavior_type media_relay(self_ptr self,
                                             std::string db_uri) {
  self->state.db = db_connection{std::move(db_uri)};
  return {
    [self](ensure_media_atom, std::string& account,
           upstream_media_actor& upstream,
           std::vector<std::string>& ids) -> caf::result<caf::ok_atom> {
      auto job = std::make_shared<upload_job>();
      job->account = std::move(account);
      job->upstream = std::move(upstream);
      job->ids = std::move(ids);
      job->done = self->make_response_promise<caf::ok_atom>();
      auto done = job->done;
      upload_next(self, std::move(job));
      return done;
    },
    [self](fetch_media_atom, const std::string& account,
           const upstream_media_actor& upstream, const std::string& id) {
      return fetch(self, account, upstream, id);
    },
    [self](stop_atom) { self->quit(); },
  };
}

} // namespace mc
