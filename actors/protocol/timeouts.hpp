#pragma once

/// The timeout budget of the send path and the control path, in one place.
/// Every inner wait is shorter than the wait around it, so an outer party
/// never gives up on work that an inner one still completes (a client told
/// "not accepted" for a message that commits later, a supervisor moving a
/// shard whose drain is still committing).
///
/// | path    | who waits                         | for                    | budget |
/// |---------|-----------------------------------|------------------------|--------|
/// | send    | webapp, one POST /v1/messages     | its shard, all retries | 6 s    |
/// | send    | coreapp node -> shard             | the items' commit      | 5 s    |
/// | send    | shard -> db writer                | one group commit       | 2 s    |
/// | control | supervisor -> node: deactivate    | the node's drain       | 4 s    |
/// | control | node -> shard: drain              | the commit in flight   | 3 s    |
/// | control | shard -> db writer                | one group commit       | 2 s    |
/// | control | supervisor -> node: activate      | the node's answer      | 5 s    |
/// | map     | master -> webapps: a holding push | every webapp's answer  | 0.5 s  |
/// | map     | webapp holding a shard's sends    | the releasing push     | 3 s    |
/// | session | shard -> upstream: login, submit  | the upstream's answer  | 5 s    |
/// | start   | shard -> db writer                | its pending messages   | 10 s   |
///
/// A send may wait for the commit in flight before its own starts, so the
/// node's wait covers two commits plus a margin; the webapp's wait covers
/// the node's. A drain waits for at most the one commit in flight.
/// The exception is a shard's start: sends that arrive before its pending
/// messages are loaded wait for the load, which may read a large backlog
/// and has a budget of its own (retried on failure). Such a send can time
/// out at the node and be committed afterwards; the webapp then retries it
/// with the same id, and the insert is idempotent on the id.

#include <chrono>

namespace mc::timeouts {

/// One group commit of a shard at its db writer.
constexpr auto commit = std::chrono::seconds{2};

/// The load of a shard's pending (committed, unacked) messages at start.
constexpr auto pending_load = std::chrono::seconds{10};

/// The coreapp node's request to a shard with a batch of sends.
constexpr auto shard_send = std::chrono::seconds{5};
static_assert(shard_send > 2 * commit, "a send may wait for two commits");

/// The webapp's budget for one send, all retries on other owners included.
constexpr auto webapp_send = std::chrono::seconds{6};
static_assert(webapp_send > shard_send, "the webapp outwaits the coreapp");

/// The coreapp node's wait for a shard to drain (its commit in flight).
constexpr auto drain = std::chrono::seconds{3};
static_assert(drain > commit, "a drain outwaits the commit in flight");

/// The supervisor's wait for the answer to a deactivate (the node drains).
constexpr auto deactivate_reply = std::chrono::seconds{4};
static_assert(deactivate_reply > drain, "the supervisor outwaits the drain");

/// The supervisor's wait for the answer to an activate (answered at once).
constexpr auto activate_reply = std::chrono::seconds{5};

/// How long the master waits for the webapps to confirm a push that holds
/// shards before it drains them: far below `hold`, so that a webapp slow to
/// answer still holds when the drain begins; a silent webapp delays the
/// drain by this much and no more.
constexpr auto hold_push = std::chrono::milliseconds{500};

/// The longest a webapp holds a shard's sends when no later push releases
/// them (the master died mid-change): then it routes by the map as it is.
/// Below the webapp's send budget, so a held send still has time to be
/// served after the hold.
constexpr auto hold = std::chrono::milliseconds{3000};
static_assert(hold > hold_push, "a slow webapp still holds at the drain");
static_assert(hold < webapp_send, "a held send is still served after it");

/// A shard session's wait for the upstream's answer to a login or submit.
constexpr auto upstream_request = std::chrono::seconds{5};

} // namespace mc::timeouts
