-- Bounded tables: the callback queue's expiry and the messages table's
-- retention are batched DELETEs by the primary master
-- (actors/master/retention_pruner.cpp, runtime/store/retention_store.cpp);
-- these indexes keep each batch an index range scan. Time-partitioning
-- both tables (dropping old partitions instead of deleting rows) is the
-- next step for tables written thousands of times a second.

CREATE INDEX IF NOT EXISTS callbacks_created ON callbacks (created_at);

-- Messages the upstream acknowledged (no longer pending), by age.
CREATE INDEX IF NOT EXISTS messages_done_age ON messages (accepted_at)
  WHERE status <> 'accepted';
