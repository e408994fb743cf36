#pragma once

#include <memory>
#include <string>
#include <vector>

#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <pqxx/connection>

#include "actors/lifecycle.hpp"
#include "actors/protocol/errors.hpp"
#include "actors/protocol/upstream.hpp"
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
/// (callback_atom, shard, kinds, payloads, keys) -> ok_atom | error: queue
/// webhook events (triplewise; a key still queued is skipped) in one
/// transaction, answered once it committed.
using callback_atom = caf::atom_constant<caf::atom("callback")>;
/// (inbound_seen_atom, shard, ids, senders) -> ok_atom | error: the shard
/// received these inbound messages (runtime/store/inbound_store).
using inbound_seen_atom = caf::atom_constant<caf::atom("inb_seen")>;
/// (stop_atom): the writer ends.

/// The interface of a database writer, as its shards use it.
using db_writer_actor = caf::typed_actor<
  caf::replies_to<commit_atom, int32_t, int64_t,
                  std::vector<upstream_message>>::with<caf::ok_atom>,
  caf::reacts_to<sent_atom, std::vector<std::string>>,
  caf::replies_to<pending_atom,
                  int32_t>::with<std::vector<upstream_message>>,
  caf::replies_to<callback_atom, int32_t, std::vector<std::string>,
                  std::vector<std::string>,
                  std::vector<std::string>>::with<caf::ok_atom>,
  caf::replies_to<inbound_seen_atom, int32_t, std::vector<std::string>,
                  std::vector<std::string>>::with<caf::ok_atom>,
  caf::reacts_to<stop_atom>>;

/// State of a database writer: owns one connection of the node's pool and
/// serialises the shard actors' batched writes onto it.
struct db_writer_state {
  static inline const char* name = "db_writer";
  db_connection db;
  ~db_writer_state();
};

/// Spawn detached: every handler blocks on the database.
db_writer_actor::behavior_type
db_writer(db_writer_actor::stateful_pointer<db_writer_state> self,
          std::string db_uri);

// The group commit statement (fenced_insert_sql) and the other SQL of
// this writer live in runtime/store/message_store and callback_store.

} // namespace mc
