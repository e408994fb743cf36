#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace mc {

// The `messages` table: the durable log of accepted messages. The insert
// builders are templates over the caller's row type (anything with `id`,
// `recipient`, `payload` and `type` strings) so a batch is never copied on
// its way to the statement.

/// A message as stored, without its bookkeeping columns.
struct message_row {
  std::string id;
  std::string recipient;
  /// The message document: the request's members but `to`, as JSON.
  std::string payload;
  /// The message type ("text", "template", "image", ...).
  std::string type = "text";
};

namespace message_sql {

constexpr const char* insert_head
  = "INSERT INTO messages (id, shard_id, recipient, type, payload, epoch) "
    "VALUES ";

/// A retried request carries the id it had: inserting it twice is a no-op.
constexpr const char* insert_tail = " ON CONFLICT (id) DO NOTHING";

constexpr const char* mark_sent_head
  = "UPDATE messages SET status = 'sent', sent_at = now() "
    "WHERE status = 'accepted' AND id IN (";

constexpr const char* pending
  = "SELECT id, recipient, type, payload, body FROM messages "
    "WHERE shard_id = $1 AND status = 'accepted' ORDER BY seq";

/// Appends the batch as VALUES rows (id, shard_id, recipient, type,
/// payload, epoch).
template <class Row>
void append_rows(std::string& sql, pqxx::connection& conn, int32_t shard,
                 int64_t epoch, const std::vector<Row>& batch) {
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
    sql += conn.quote(m.type);
    sql += ',';
    sql += conn.quote(m.payload);
    sql += ',';
    sql += e;
    sql += "::bigint)";
  }
}

} // namespace message_sql

/// Builds the group commit of a batch as one statement: insert the batch
/// (idempotent on id) only while the shard's epoch is `epoch`; its one row
/// holds the shard's current epoch (-1 if none) and the rows inserted.
template <class Row>
std::string fenced_insert_sql(pqxx::connection& conn, int32_t shard,
                              int64_t epoch, const std::vector<Row>& batch) {
  auto s = std::to_string(shard);
  auto e = std::to_string(epoch);
  std::string sql;
  sql.reserve(512 + batch.size() * 128);
  // One statement, one round trip, its own transaction: the share lock on
  // the shard's map row is taken before any row is inserted and held until
  // the commit, so the supervisor's epoch bump either waits for this batch
  // or makes it insert nothing.
  sql += "WITH fence AS (SELECT epoch FROM shard_map WHERE shard_id = " + s
         + " FOR SHARE), ins AS (INSERT INTO messages (id, shard_id, "
           "recipient, type, payload, epoch) SELECT v.id, v.shard_id, "
           "v.recipient, v.type, v.payload, v.epoch FROM (VALUES ";
  message_sql::append_rows(sql, conn, shard, epoch, batch);
  sql += ") AS v(id, shard_id, recipient, type, payload, epoch) WHERE EXISTS "
         "(SELECT 1 "
         "FROM fence WHERE fence.epoch = " + e
         + ") ON CONFLICT (id) DO NOTHING RETURNING 1) "
           "SELECT coalesce((SELECT epoch FROM fence), -1), "
           "(SELECT count(*) FROM ins)";
  return sql;
}

/// Builds the plain batch insert (no fence); exposed for tests.
template <class Row>
std::string batch_insert_sql(pqxx::connection& conn, int32_t shard,
                             int64_t epoch, const std::vector<Row>& batch) {
  std::string sql;
  sql.reserve(96 + batch.size() * 128);
  sql += message_sql::insert_head;
  message_sql::append_rows(sql, conn, shard, epoch, batch);
  sql += message_sql::insert_tail;
  return sql;
}

/// Runs the group commit of `batch` (see fenced_insert_sql) in its own
/// transaction. Returns the shard's epoch as the fence saw it: the batch
/// is committed iff it equals `epoch`.
template <class Row>
int64_t commit_fenced(pqxx::connection& conn, int32_t shard, int64_t epoch,
                      const std::vector<Row>& batch) {
  pqxx::nontransaction tx{conn};
  pqxx::row r = tx.exec1(fenced_insert_sql(conn, shard, epoch, batch));
  return r[0].as<int64_t>();
}

/// Marks the messages `ids` sent (the upstream acknowledged them).
void mark_sent(pqxx::connection& conn, const std::vector<std::string>& ids);

/// The committed but unacknowledged messages of `shard`, in acceptance order.
/// A row from before schema version 4 (body, no payload) comes back as the
/// text message {"type":"text","text":{"body":<body>}}.
std::vector<message_row> pending_messages(pqxx::connection& conn,
                                          int32_t shard);

} // namespace mc
