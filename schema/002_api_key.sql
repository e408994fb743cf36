-- Multiconnect schema, version 2: an API key for monitoring routes
-- (/v1/health, /v1/stats), so probes need no user token.
ALTER TABLE cluster ADD COLUMN api_key text NOT NULL
  DEFAULT md5(random()::text || clock_timestamp()::text);
