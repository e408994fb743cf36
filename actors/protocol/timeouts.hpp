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
/// | send    | PostgreSQL statement_timeout      | the commit statement   | 1.5 s  |
/// | send    | shard -> db writer, after 2 s     | a late outcome         | 10 s   |
/// | control | supervisor -> node: deactivate    | the node's drain       | 4 s    |
/// | control | node -> shard: drain              | the commit in flight   | 3 s    |
/// | control | shard -> db writer                | one group commit       | 2 s    |
/// | control | supervisor -> node: activate      | the node's answer      | 5 s    |
/// | map     | master -> webapps: a holding push | every webapp's answer  | 0.5 s  |
/// | map     | webapp holding a shard's sends    | the releasing push     | 3 s    |
/// | session | shard -> upstream: login, submit  | the upstream's answer  | 5 s    |
/// | stop    | node -> supervisor: leaving       | its shards' handoff    | 4.5 s  |
/// | stop    | parted shard                      | the next owner's login | 1 s    |
/// | stop    | the role: the node's leave        | handoff and parting    | 6 s    |
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

/// The writer's own bound on one statement of a group commit (PostgreSQL's
/// statement_timeout on its connection): a commit that would run past the
/// shard's wait is cancelled by the database, so its outcome (not
/// committed) is known when the shard answers.
constexpr auto commit_statement = std::chrono::milliseconds{1500};
static_assert(commit_statement < commit, "the database ends a slow commit "
                                         "before the shard answers");

/// How long a shard keeps waiting for a commit's outcome after it told the
/// clients it is unknown (a writer queued behind other work, a connection
/// lost mid-commit): a late success still hands the messages to the
/// upstream. Past it the shard stops, and its next activation resumes
/// whatever was committed.
constexpr auto commit_outcome = std::chrono::seconds{10};
static_assert(commit_outcome > commit, "the outcome outwaits the answer");

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

/// A shard's wait for its writer to commit the callbacks of one push (or of
/// its sent statuses); past it the push is answered with an error and the
/// upstream pushes it again, which the callback keys deduplicate.
constexpr auto callback_write = std::chrono::seconds{5};

/// A leaving node's wait for the supervisor's answer: the supervisor
/// deactivates each shard (each waits at most `deactivate_reply`) and then
/// places them.
constexpr auto leave_reply = std::chrono::milliseconds{4500};
static_assert(leave_reply > deactivate_reply, "a leave outwaits the drains");

/// How long a drained shard of a planned stop parts (keeps taking its
/// session's pushes) waiting for the next owner's login to end its session.
constexpr auto part = std::chrono::seconds{1};

/// The role's wait for its node's whole leave (handoff, then parting);
/// deploy/down waits longer than this before it kills.
constexpr auto leave = std::chrono::seconds{6};
static_assert(leave > leave_reply + part, "the role outwaits the leave");

} // namespace mc::timeouts
