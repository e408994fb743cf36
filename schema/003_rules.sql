-- Multiconnect schema, version 3: the cluster's rules, defined once, and the
-- one view the scripts read. Every statement of runtime/store/ that needs a
-- rule calls these functions instead of writing the comparison itself.

-- Node liveness. A node is live while it is not stopped and its last
-- heartbeat is younger than `unhealthy_ms` by the database clock: a node
-- whose heartbeat is exactly `unhealthy_ms` old is dead.
-- Constraints: `unhealthy_ms` must be several heartbeat intervals (the
-- settings' unhealthy_interval, default 5 heartbeats), otherwise one slow
-- heartbeat declares a healthy node dead. Only the database clock is used,
-- so node clock skew cannot change the verdict.
CREATE FUNCTION mc_node_live(state text, heartbeat_at timestamptz,
                             unhealthy_ms bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT state <> 'stopped'
     AND heartbeat_at > now() - make_interval(secs => unhealthy_ms::double precision / 1000)
$$;

-- The master lease is live while now() < expires_at (database clock). At
-- exactly expires_at it is expired: from that instant a secondary may take
-- it and the holder's fenced writes fail, so the two never overlap.
-- Constraints: the holder renews well inside the ttl (renew interval <
-- ttl / 2) and stops acting before its own deadline (actors/master/
-- lease_view), so a frozen primary has stopped before anyone takes over.
CREATE FUNCTION mc_lease_live(expires_at timestamptz)
RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT expires_at > now()
$$;

-- Whether `holder` holds a live lease with `epoch`: the fence of every
-- write only the primary master may do (shard moves, shard-count change).
CREATE FUNCTION mc_lease_held(holder text, epoch bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM master_lease l
                 WHERE l.id = 1 AND l.holder = $1 AND l.epoch = $2
                   AND mc_lease_live(l.expires_at))
$$;

-- The shard map's epoch rule for new rows: the missing shards below the
-- cluster's count are added unowned at one new epoch above every epoch the
-- map ever had (epochs are global fencing tokens; a row never gets an epoch
-- a session of an older map could hold). Returns how many rows it added.
CREATE FUNCTION mc_add_missing_shards()
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  added integer;
BEGIN
  INSERT INTO shard_map (shard_id, owner, epoch)
    SELECT g, NULL, (SELECT coalesce(max(epoch), 0) + 1 FROM shard_map)
    FROM generate_series(0, (SELECT shards FROM cluster WHERE id = 1) - 1) g
    ON CONFLICT (shard_id) DO NOTHING;
  GET DIAGNOSTICS added = ROW_COUNT;
  RETURN added;
END
$$;

-- Sets the shard count of a cluster that holds no message yet and adds the
-- missing rows by the rule above. deploy/up calls it; a running cluster
-- changes its count through POST /v1/account/shards instead. Returns false
-- (and changes nothing) once messages exist.
CREATE FUNCTION mc_set_initial_shards(wanted integer)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM messages) THEN
    RETURN false;
  END IF;
  UPDATE cluster SET shards = wanted WHERE id = 1;
  PERFORM mc_add_missing_shards();
  RETURN true;
END
$$;

-- What the scripts (deploy/status, deploy/up, tests/bench) read, instead
-- of their own copies of the schema: one row per registered node (or one
-- row with NULL node columns while no node is registered) with its
-- heartbeat age, whether it is live (mc_node_live against the cluster's
-- unhealthy_interval; 1 s when unset, as in runtime/app_settings.hpp), the
-- shards it owns, and the cluster-wide facts repeated on every row: shard
-- count, config epoch, whether messages exist, the lease holder and
-- whether its lease is live, and the monitoring API key deploy/up prints.
CREATE VIEW cluster_status AS
  SELECT n.node_id, n.role, n.host, n.caf_port, n.http_port, n.pid, n.state,
         round(extract(epoch FROM now() - n.heartbeat_at)::numeric, 1)
           AS heartbeat_age_s,
         mc_node_live(n.state, n.heartbeat_at,
                      (coalesce((c.settings->>'unhealthy_interval')::double precision, 1)
                       * 1000)::bigint) AS live,
         (SELECT array_agg(s.shard_id ORDER BY s.shard_id) FROM shard_map s
           WHERE s.owner = n.node_id AND s.shard_id < c.shards) AS shards_owned,
         c.shards, c.config_epoch,
         EXISTS (SELECT 1 FROM messages) AS has_messages,
         coalesce(l.holder, '') AS lease_holder, l.epoch AS lease_epoch,
         mc_lease_live(l.expires_at) AS lease_live,
         c.api_key
  FROM cluster c
  JOIN master_lease l ON l.id = 1
  LEFT JOIN nodes n ON true
  WHERE c.id = 1;
