-- Multiconnect schema, version 1: cluster membership, the master lease,
-- shard ownership, the durable message log, callbacks and API users.

CREATE TABLE nodes (
  node_id      text PRIMARY KEY,
  role         text NOT NULL,
  host         text NOT NULL,
  caf_port     integer NOT NULL,
  http_port    integer NOT NULL DEFAULT 0,
  pid          integer NOT NULL,
  version      text NOT NULL,
  started_at   timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  -- What the node says of itself: starting, standby, active, stopped.
  state        text NOT NULL DEFAULT 'starting'
);

-- One row: who holds the primary-master lease, with which fencing epoch.
CREATE TABLE master_lease (
  id         integer PRIMARY KEY CHECK (id = 1),
  holder     text,
  epoch      bigint NOT NULL,
  expires_at timestamptz NOT NULL
);
INSERT INTO master_lease VALUES (1, NULL, 0, 'epoch');

-- One row: the account and cluster-wide configuration.
CREATE TABLE cluster (
  id            integer PRIMARY KEY CHECK (id = 1),
  shards        integer NOT NULL DEFAULT 1,
  config_epoch  bigint NOT NULL DEFAULT 1,
  -- Secret that signs API tokens, so any webapp accepts any webapp's token.
  token_secret  text NOT NULL DEFAULT md5(random()::text || clock_timestamp()::text)
                                     || md5(random()::text || clock_timestamp()::text),
  cc            text,
  phone_number  text,
  cert          text,
  pin_hash      text,
  settings      jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- A shard-count change in flight (target count), for the next master.
  reshard_to    integer
);
INSERT INTO cluster (id) VALUES (1);

-- Shard ownership. Every change bumps epoch; the epoch is the fencing token.
CREATE TABLE shard_map (
  shard_id  integer PRIMARY KEY,
  owner     text,
  epoch     bigint NOT NULL DEFAULT 0
);
INSERT INTO shard_map (shard_id, owner, epoch) VALUES (0, NULL, 0);

-- The durable message log. seq orders sends per shard and per recipient.
CREATE TABLE messages (
  id          text PRIMARY KEY,
  shard_id    integer NOT NULL,
  recipient   text NOT NULL,
  body        text NOT NULL,
  status      text NOT NULL DEFAULT 'accepted',
  seq         bigserial NOT NULL,
  epoch       bigint NOT NULL,
  accepted_at timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz
);
CREATE INDEX messages_pending ON messages (shard_id, seq) WHERE status = 'accepted';

-- Persisted webhook queue.
CREATE TABLE callbacks (
  id         bigserial PRIMARY KEY,
  shard_id   integer NOT NULL,
  kind       text NOT NULL,          -- 'status' or 'message'
  payload    jsonb NOT NULL,
  attempts   integer NOT NULL DEFAULT 0,
  due_at     timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX callbacks_due ON callbacks (shard_id, due_at);

CREATE TABLE users (
  username        text PRIMARY KEY,
  password_hash   text NOT NULL,    -- pbkdf2-sha256$iterations$salt$hash
  is_admin        boolean NOT NULL DEFAULT false,
  must_change     boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE revoked_tokens (
  token_id   text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
