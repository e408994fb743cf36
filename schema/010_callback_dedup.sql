-- At-least-once pushes: the upstream pushes a receipt or an inbound
-- message again until the coreapp acknowledges it (after the callback is
-- committed), so the same event may reach the callback queue twice. Each
-- callback carries the key of its event, "status:<id>:<status>" or
-- "message:<id>", and a second insert of a queued key does nothing
-- (runtime/store/callback_store.cpp). A key is free again once its
-- callback was posted and deleted: a push redelivered after that posts
-- once more, the one duplicate left (rare: the ack is lost only when the
-- owner dies or is cut off between commit and ack).
--
-- Rows queued before this migration have no key (NULL never conflicts).
-- When the table is time-partitioned, the key must gain the partition
-- column to stay unique.

ALTER TABLE callbacks ADD COLUMN IF NOT EXISTS dedup_key text;
CREATE UNIQUE INDEX IF NOT EXISTS callbacks_dedup ON callbacks (dedup_key);
