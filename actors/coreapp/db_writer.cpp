#include "actors/coreapp/db_writer.hpp"

#include <caf/all.hpp>
#include <pqxx/pqxx>

#include "runtime/db_pool.hpp"
#include "runtime/log.hpp"

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

std::string id_list(pqxx::transaction_base& tx,
                    const std::vector<std::string>& ids) {
  std::string out;
  out.reserve(ids.size() * 32);
  for (auto& id : ids) {
    if (!out.empty())
      out += ',';
    out += tx.quote(id);
  }
  return out;
}

/// Appends the batch as VALUES rows (id, shard_id, recipient, body, epoch).
void append_rows(std::string& sql, pqxx::connection& conn, int32_t shard,
                 int64_t epoch, const std::vector<upstream_message>& batch) {
  auto s = std::to_string(shard);
  auto e = std::to_string(epoch);
  bool first = true;
  for (auto& m : batch) {
    if (!first)
      sql += ',';
    first = false;
    sql += '(';
    sql += conn.quote(m.id);
    sql += ',';
    sql += s;
    sql += ',';
    sql += conn.quote(m.recipient);
    sql += ',';
    sql += conn.quote(m.body);
    sql += ',';
    sql += e;
    sql += "::bigint)";
  }
}

} // namespace

std::string batch_insert_sql(pqxx::connection& conn, int32_t shard,
                             int64_t epoch,
                             const std::vector<upstream_message>& batch) {
  std::string sql;
  sql.reserve(96 + batch.size() * 96);
  sql += "INSERT INTO messages (id, shard_id, recipient, body, epoch) VALUES ";
  append_rows(sql, conn, shard, epoch, batch);
  // A retried request carries the id it had: inserting it twice is a no-op.
  sql += " ON CONFLICT (id) DO NOTHING";
  return sql;
}

std::string fenced_insert_sql(pqxx::connection& conn, int32_t shard,
                              int64_t epoch,
                              const std::vector<upstream_message>& batch) {
  auto s = std::to_string(shard);
  auto e = std::to_string(epoch);
  std::string sql;
  sql.reserve(512 + batch.size() * 96);
  // One statement, one round trip, its own transaction: the share lock on
  // the shard's map row is taken before any row is inserted and held until
  // the commit, so the supervisor's epoch bump either waits for this batch
  // or makes it insert nothing.
  sql += "WITH fence AS (SELECT epoch FROM shard_map WHERE shard_id = " + s
         + " FOR SHARE), ins AS (INSERT INTO messages (id, shard_id, "
           "recipient, body, epoch) SELECT v.id, v.shard_id, v.recipient, "
           "v.body, v.epoch FROM (VALUES ";
  append_rows(sql, conn, shard, epoch, batch);
  sql += ") AS v(id, shard_id, recipient, body, epoch) WHERE EXISTS (SELECT 1 "
         "FROM fence WHERE fence.epoch = " + e
         + ") ON CONFLICT (id) DO NOTHING RETURNING 1) "
           "SELECT coalesce((SELECT epoch FROM fence), -1), "
           "(SELECT count(*) FROM ins)";
  return sql;
}

db_writer_actor::behavior_type db_writer(self_ptr self, std::string db_uri) {
  // A writer frozen inside a commit holds a share lock on its shard's map
  // row, which would block the failover's epoch bump. PostgreSQL ends such
  // a session (and its locks) after this much idleness.
  self->state.db = db_connection{
    std::move(db_uri), "SET idle_in_transaction_session_timeout = 400"};
  return {
    [=](commit_atom, int32_t shard, int64_t epoch,
        const std::vector<upstream_message>& batch) -> caf::result<caf::ok_atom> {
      return guarded(self, [&]() -> caf::result<caf::ok_atom> {
        auto& conn = db(self);
        pqxx::nontransaction tx{conn};
        auto r = tx.exec1(fenced_insert_sql(conn, shard, epoch, batch));
        if (r[0].as<int64_t>() != epoch)
          return make_error(mc_errc::stale_epoch,
                            "shard " + std::to_string(shard) + " moved on");
        return caf::ok_atom::value;
      });
    },
    [=](sent_atom, const std::vector<std::string>& ids) {
      guarded(self, [&]() -> caf::error {
        pqxx::nontransaction tx{db(self)};
        tx.exec("UPDATE messages SET status = 'sent', sent_at = now() "
                "WHERE status = 'accepted' AND id IN ("
                + id_list(tx, ids) + ")");
        return caf::none;
      });
    },
    [=](pending_atom, int32_t shard)
      -> caf::result<std::vector<upstream_message>> {
      return guarded(self, [&]() -> caf::result<std::vector<upstream_message>> {
        pqxx::read_transaction tx{db(self)};
        auto rows = tx.exec_params(
          "SELECT id, recipient, body FROM messages "
          "WHERE shard_id = $1 AND status = 'accepted' ORDER BY seq",
          shard);
        std::vector<upstream_message> out;
        out.reserve(rows.size());
        for (auto row : rows)
          out.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                         row[2].as<std::string>()});
        return out;
      });
    },
    [=](callback_atom, int32_t shard, const std::vector<std::string>& kinds,
        const std::vector<std::string>& payloads) {
      guarded(self, [&]() -> caf::error {
        pqxx::work tx{db(self)};
        std::string sql = "INSERT INTO callbacks (shard_id, kind, payload) "
                          "VALUES ";
        for (size_t i = 0; i < kinds.size() && i < payloads.size(); ++i) {
          if (i > 0)
            sql += ',';
          sql += "(" + std::to_string(shard) + "," + tx.quote(kinds[i]) + ","
                 + tx.quote(payloads[i]) + "::jsonb)";
        }
        if (!kinds.empty())
          tx.exec(sql);
        tx.commit();
        return caf::none;
      });
    },
    [=](stop_atom) { self->quit(); },
  };
}

} // namespace mc
