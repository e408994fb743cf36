-- The Cloud API relay (actors/cloud/). The Cloud API names each message it
-- takes with its own id (a wamid) and each uploaded media with its own media
-- id; statuses come back with the wamid. These tables keep both mappings so
-- that any node, and the next owner of a shard after a failover, can turn a
-- wamid back into our id and knows which messages the Cloud API already
-- took (it has no idempotency key: a message with a row here is never sent
-- again). Pruned with the messages (retention_pruner).

CREATE TABLE IF NOT EXISTS cloud_messages (
  id         text PRIMARY KEY,
  wamid      text NOT NULL,
  shard_id   integer NOT NULL,
  recipient  text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS cloud_messages_wamid ON cloud_messages (wamid);
CREATE INDEX IF NOT EXISTS cloud_messages_age ON cloud_messages (created_at);

CREATE TABLE IF NOT EXISTS cloud_media (
  id         text PRIMARY KEY,
  cloud_id   text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Each relaying coreapp's view of the Cloud API ("connected", or why its
-- sends stopped, e.g. "token_expired"), shown as gateway_status in
-- GET /v1/health.
CREATE TABLE IF NOT EXISTS cloud_gateway (
  node_id    text PRIMARY KEY,
  status     text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
