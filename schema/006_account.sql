-- Multiconnect schema, version 6: the account's registration time, which
-- POST /v1/account/shards needs (no cert is asked for within 7 days of
-- registration), and the business profile the API serves
-- (/v1/settings/profile/about, /photo, /v1/settings/business/profile).
ALTER TABLE cluster ADD COLUMN registered_at timestamptz;
-- Accounts registered before this column existed count as registered now.
UPDATE cluster SET registered_at = now() WHERE cc IS NOT NULL;

-- One row (id = 1), like `cluster`: the account has one profile.
CREATE TABLE profile (
  id            integer PRIMARY KEY CHECK (id = 1),
  about         text NOT NULL DEFAULT '',
  photo         bytea,          -- NULL: no photo
  photo_type    text,           -- its MIME type
  business      jsonb NOT NULL DEFAULT '{}'::jsonb
);
INSERT INTO profile (id) VALUES (1);

-- A registration waiting for its code (POST /v1/account with a method,
-- then POST /v1/account/verify): one at a time, like the account.
CREATE TABLE account_pending (
  id            integer PRIMARY KEY CHECK (id = 1),
  cc            text NOT NULL,
  phone_number  text NOT NULL,
  cert          text NOT NULL,
  pin_hash      text NOT NULL DEFAULT '',
  created_at    timestamptz NOT NULL DEFAULT now()
);
