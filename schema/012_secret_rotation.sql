-- Rotation of the token secret and the API key (deploy/rotate-secrets).
--
-- After a rotation of the token secret the previous one still verifies
-- tokens until previous_token_secret_until (the overlap), so clients that
-- logged in just before it are not cut off mid-request; it never signs.
-- The webapps reload both secrets from this row every 4 heartbeats
-- (runtime/roles/role_webapp.cpp) and refuse a token of the previous
-- secret once the overlap is over, reloaded or not
-- (http/credential_keys.hpp). The API key has no overlap: probes read it
-- from var/secrets/api-key, which the script rewrites in the same run.
ALTER TABLE cluster
  ADD COLUMN previous_token_secret text,
  ADD COLUMN previous_token_secret_until timestamptz,
  ADD COLUMN token_secret_rotated_at timestamptz,
  ADD COLUMN api_key_rotated_at timestamptz;

-- Makes `new_secret` the token secret; the old one keeps verifying tokens
-- for `overlap_s` seconds (0: tokens it signed are refused at once). A
-- second rotation within an overlap drops the secret before the last.
-- Returns the end of the overlap. The caller generates the secret (at
-- least 32 characters): deploy/rotate-secrets uses `openssl rand`.
CREATE FUNCTION mc_rotate_token_secret(new_secret text, overlap_s integer)
RETURNS timestamptz LANGUAGE plpgsql AS $$
DECLARE
  until timestamptz;
BEGIN
  IF new_secret IS NULL OR length(new_secret) < 32 THEN
    RAISE EXCEPTION 'a token secret needs at least 32 characters';
  END IF;
  IF overlap_s IS NULL OR overlap_s < 0 THEN
    RAISE EXCEPTION 'the overlap is a number of seconds, 0 or more';
  END IF;
  until := now() + overlap_s * interval '1 second';
  UPDATE cluster
    SET previous_token_secret = CASE WHEN overlap_s > 0 THEN token_secret END,
        previous_token_secret_until = CASE WHEN overlap_s > 0 THEN until END,
        token_secret = new_secret,
        token_secret_rotated_at = now()
    WHERE id = 1;
  RETURN until;
END
$$;

-- Makes `new_key` the API key of the monitoring routes; the old one is
-- refused as soon as each webapp reloads (within about a second).
CREATE FUNCTION mc_rotate_api_key(new_key text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF new_key IS NULL OR length(new_key) < 32 OR new_key !~ '^[A-Za-z0-9]+$' THEN
    RAISE EXCEPTION 'an API key needs at least 32 letters or digits';
  END IF;
  UPDATE cluster SET api_key = new_key, api_key_rotated_at = now()
    WHERE id = 1;
END
$$;
