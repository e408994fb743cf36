#pragma once

#include <memory>
#include <string>
#include <vector>

#include <caf/stateful_actor.hpp>
#include <pqxx/connection>

#include "actors/protocol/protocol.hpp"
#include "runtime/store/db_connection.hpp"
#include "runtime/store/message_store.hpp"


namespace mc {

/// (commit_atom, shard, epoch, std::vector<upstream_message>) -> ok_atom |
/// error: one fenced transaction for a whole batch of accepted messages.
using commit_atom = caf::atom_constant<caf::atom("commit")>;
/// (sent_atom, std::vector<std::string> ids): the upstream acked them.
using sent_atom = caf::atom_constant<caf::atom("sent")>;
/// (pending_atom, shard) -> std::vector<upstream_message>: committed but not
/// acknowledged messages of a shard, in acceptance order.
using pending_atom = caf::atom_constant<caf::atom("pending")>;
/// (callback_atom, shard, kinds, payloads): queue webhook events.
using callback_atom = caf::atom_constant<caf::atom("callback")>;

/// State of a database writer: owns one connection of the node's pool and
/// serialises the shard actors' batched writes onto it.
struct db_writer_state {
  static inline const char* name = "db_writer";
  db_connection db;
  ~db_writer_state();
};

/// Spawn detached: every handler blocks on the database.
caf::behavior db_writer(caf::stateful_actor<db_writer_state>* self,
                        std::string db_uri);

// The group commit statement (fenced_insert_sql) and the other SQL of
// this writer live in runtime/store/message_store and callback_store.

} // namespace mc
