-- The keys of posted callbacks, kept for a while after their rows are
-- deleted. schema/010 deduplicates a redelivered push only while its
-- callback is still queued; once posted and deleted, the key was free and
-- a push redelivered after that was posted a second time. That is common
-- after a database outage: pushes whose writes committed late (or whose
-- acks were lost to a failover) come again seconds later, when the
-- dispatcher has posted the first copy already.
--
-- The dispatcher's delete records the keys of the rows it deletes here
-- (runtime/store/callback_store.cpp), an insert skips an event whose key is
-- here, and the primary master prunes keys older than the dedup window
-- (--callback-dedup-s, actors/master/retention_pruner.cpp).

CREATE TABLE IF NOT EXISTS callbacks_posted (
  dedup_key text PRIMARY KEY,
  posted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS callbacks_posted_age ON callbacks_posted (posted_at);
