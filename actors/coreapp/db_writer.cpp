#include "actors/coreapp/db_writer.hpp"

#include <algorithm>

#include <caf/all.hpp>
#include <pqxx/pqxx>

#include "actors/lifecycle.hpp"
#include "actors/protocol/timeouts.hpp"
#include "runtime/db_pool.hpp"
#include "runtime/log.hpp"
#include "runtime/store/callback_store.hpp"
#include "runtime/store/inbound_store.hpp"
#include "runtime/store/message_store.hpp"

namespace mc {

db_writer_state::~db_writer_state() = default;

namespace {

using self_ptr = db_writer_actor::stateful_pointer<db_writer_state>;

pqxx::connection& db(self_ptr self) {
  return self->state.db.get();
}

/// Runs `fn` and turns exceptions into a database error value.
template <class F>
auto guarded(self_ptr self, F fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    self->state.db.reset();
    log_error("db_writer", e.what());
    return make_error(mc_errc::database, e.what());
  }
}

} // namespace

db_writer_actor::behavior_type db_writer(self_ptr self, std::string db_uri) {
  // A writer frozen inside a commit holds a share lock on its shard's map
  // row, which would block the failover's epoch bump. PostgreSQL ends such
  // a session (and its locks) after this much idleness.
  // A commit statement running past timeouts::commit_statement is
  // cancelled by the database (not committed), so the shard knows the
  // outcome before its own wait ends; the pending load, which may read a
  // large backlog, lifts the bound for its one statement.
  self->state.db = db_connection{
    std::move(db_uri),
    "SET idle_in_transaction_session_timeout = 400; SET statement_timeout = "
      + std::to_string(timeouts::commit_statement.count())};
  return {
    [=](commit_atom, int32_t shard, int64_t epoch,
        const std::vector<upstream_message>& batch) -> caf::result<caf::ok_atom> {
      return guarded(self, [&]() -> caf::result<caf::ok_atom> {
        // Outside the try below: no connection means nothing was sent, so
        // nothing committed (a plain database error).
        auto& conn = db(self);
        try {
          // The fenced group commit and its lock order: fenced_insert_sql.
          if (commit_fenced(conn, shard, epoch, batch) != epoch)
            return make_error(mc_errc::stale_epoch,
                              "shard " + std::to_string(shard) + " moved on");
        } catch (const pqxx::broken_connection& e) {
          // The statement may have committed before the connection broke:
          // nobody can tell the client "not accepted".
          self->state.db.reset();
          log_error("db_writer", e.what());
          return make_error(mc_errc::commit_unknown, e.what());
        }
        return caf::ok_atom::value;
      });
    },
    [=](sent_atom, const std::vector<std::string>& ids) {
      guarded(self, [&]() -> caf::error {
        mark_sent(db(self), ids);
        return caf::none;
      });
    },
    [=](pending_atom, int32_t shard)
      -> caf::result<std::vector<upstream_message>> {
      return guarded(self, [&]() -> caf::result<std::vector<upstream_message>> {
        auto& conn = db(self);
        pqxx::nontransaction{conn}.exec(
          "SET statement_timeout = "
          + std::to_string((timeouts::pending_load
                            - std::chrono::seconds{1}).count() * 1000));
        auto rows = pending_messages(conn, shard);
        pqxx::nontransaction{conn}.exec(
          "SET statement_timeout = "
          + std::to_string(timeouts::commit_statement.count()));
        std::vector<upstream_message> out;
        out.reserve(rows.size());
        for (auto& row : rows)
          out.push_back({std::move(row.id), std::move(row.recipient),
                         std::move(row.payload), std::move(row.type)});
        return out;
      });
    },
    [=](callback_atom, int32_t shard, std::vector<std::string>& kinds,
        std::vector<std::string>& payloads,
        std::vector<std::string>& keys) -> caf::result<caf::ok_atom> {
      return guarded(self, [&]() -> caf::result<caf::ok_atom> {
        std::vector<callback_event> events;
        auto n = std::min(kinds.size(), payloads.size());
        events.reserve(n);
        for (size_t i = 0; i < n; ++i)
          events.push_back({std::move(kinds[i]), std::move(payloads[i]),
                            i < keys.size() ? std::move(keys[i])
                                            : std::string{}});
        insert_callbacks(db(self), shard, events);
        return caf::ok_atom::value;
      });
    },
    [=](inbound_seen_atom, int32_t shard, const std::vector<std::string>& ids,
        const std::vector<std::string>& senders)
      -> caf::result<caf::ok_atom> {
      return guarded(self, [&]() -> caf::result<caf::ok_atom> {
        record_inbound(db(self), shard, ids, senders);
        return caf::ok_atom::value;
      });
    },
    [=](stop_atom) { self->quit(); },
  };
}

} // namespace mc
