-- Statuses of the Cloud API whose wamid was not recorded when they came: a
-- status overtook the record of its send, or the send's owner died between
-- the Cloud API's answer and the record (the next owner then sends the
-- message again, under a new wamid). A status is never dropped: it waits
-- here, the webhook is answered 200, and each relaying owner matches the
-- waiting statuses against cloud_messages every second and hands the
-- matched ones to its shard. Those never matched are pruned with the
-- messages' retention (retention_pruner), and counted in /v1/health
-- meanwhile.

CREATE TABLE IF NOT EXISTS cloud_waiting_statuses (
  wamid       text NOT NULL,
  status      text NOT NULL,
  -- The key the user is routed by (runtime/cloud/cloud_user_id.hpp), so
  -- that the shard is known at any shard count.
  routing_key text NOT NULL,
  recipient   text NOT NULL,
  user_id     text NOT NULL,
  ts          bigint NOT NULL,
  error_code  integer NOT NULL,
  error_title text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (wamid, status)
);
CREATE INDEX IF NOT EXISTS cloud_waiting_statuses_age
  ON cloud_waiting_statuses (received_at);

-- The phone number behind a business-scoped user id (BSUID), kept whenever
-- the Cloud API names both (a status's recipient_id and recipient_user_id,
-- an inbound message's from and from_user_id). A user who later hides the
-- number, and a send addressed to the BSUID, are then routed by the number:
-- the user keeps its shard, so its messages keep their order.
CREATE TABLE IF NOT EXISTS cloud_users (
  user_id    text PRIMARY KEY,
  phone      text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
