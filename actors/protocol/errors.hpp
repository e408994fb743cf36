#pragma once

/// The error codes of every protocol between our actors (category "mc"),
/// the way caf::sec does it for CAF's own: decisions are taken on the code,
/// the context text is only for logs.

#include <cstdint>
#include <string>

#include <caf/error.hpp>

namespace mc {

/// Error codes of our protocols, category atom "mc".
enum class mc_errc : uint8_t {
  none = 0,
  /// The writer's epoch is older than the shard's current epoch.
  stale_epoch,
  /// This node does not own the shard (any more).
  not_owner,
  /// The shard's queue is full.
  overloaded,
  /// The upstream refused the session or the submit for a reason that may
  /// pass (logins refused for a while, no session yet, a closed session):
  /// log in again and retry.
  upstream_refused,
  /// The database failed.
  database,
  /// A shard-count change is in progress; retry shortly.
  resharding,
  /// The upstream knows a newer session or epoch for this shard (or a newer
  /// shard configuration of the account): this owner is fenced off for
  /// good and must stop, retrying cannot help.
  upstream_fenced,
  /// The upstream holds no media under that id (upstream_media.hpp), or
  /// the media store has none (unknown, deleted or expired).
  media_unknown,
  /// Media bytes do not match their sha256.
  media_invalid,
  /// An account verification code is wrong, or no code was sent.
  code_mismatch,
  /// The master asked is not the acting primary (a planned stop then
  /// falls back to the node draining on its own).
  not_primary,
  /// A group commit's outcome is not known when the send is answered (the
  /// writer did not answer in time, or its connection broke during the
  /// commit): the message may be stored. A retry with the same request
  /// (same idempotency key) is safe, the insert is idempotent on the id.
  commit_unknown,
  /// A message the Cloud API translation cannot carry: a type or member
  /// with no Cloud form (runtime/cloud/cloud_message_translator.hpp).
  unsupported_message,
  /// A document that is not what it should be: a stored payload that is
  /// not a JSON object, or a body that is not a WhatsApp Business Account
  /// webhook (runtime/cloud/cloud_webhook.hpp).
  malformed_document,
};

/// The name of `code`, as the error renderer prints it.
const char* to_string(mc_errc code);

/// Makes a CAF error in the "mc" category.
caf::error make_error(mc_errc code, std::string context = {});

/// True when `err` is in the "mc" category with `code`.
bool is(const caf::error& err, mc_errc code);

} // namespace mc
