# Shared by the cluster benchmarks: a private cluster on free loopback ports.
# Source it after setting `root` and `build_dir`; call bench_cluster.
# shellcheck shell=bash
# shellcheck source=deploy/lib.sh
source "$root/deploy/lib.sh"

bin="$build_dir/multiconnect"
[ -x "$bin" ] || die "$bin is missing: run ./deploy/build first"
[ -x "$build_dir/tests/loadgen" ] || die "loadgen is missing: run ./deploy/build"

pids=()
declare -A node_pid
work=""
pg_port=""

bench_cleanup() {
  local p
  for p in "${pids[@]}"; do
    kill -CONT "$p" 2>/dev/null || true
    kill -KILL "$p" 2>/dev/null || true
  done
  [ -n "$work" ] || return 0
  if [ -n "${MC_KEEP:-}" ]; then
    log "kept $work (PostgreSQL still runs on port $pg_port)"
    return
  fi
  "$root/deploy/pg-stop" "$work/pg" --purge >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap bench_cleanup EXIT

# start NODE_ID ROLE FLAGS...: one node in the background, logged in $work.
start() {
  local id="$1" role="$2"
  shift 2
  local tls=()
  # MC_BENCH_TLS=1: mutual TLS between the nodes, as deploy/up runs them.
  if [ "${MC_BENCH_TLS:-0}" = 1 ]; then
    "$root/deploy/ca" "$work/tls" "$id" >/dev/null
    tls=(--tls-cert "$work/tls/$id.crt" --tls-key "$work/tls/$id.key"
      --tls-ca "$work/tls/ca.crt")
  fi
  "$bin" --role "$role" --node-id "$id" --db "$db" "${tls[@]}" "$@" \
    >>"$work/$id.log" 2>&1 &
  node_pid[$id]=$!
  pids+=($!)
  disown $! # killed on purpose by the benchmarks: no job-control notices
}

# q SQL: one query on the cluster database. Scripts read the cluster's
# state through the cluster_status view (schema/003_rules.sql, README),
# never through the tables.
q() { psql "$db" -qAt -c "$1" 2>/dev/null || true; }

# bench_cluster COREAPPS [SIM_FLAGS...]: durable PostgreSQL, the simulator,
# 2 masters, COREAPPS coreapps and a webapp; logs in and registers the
# account. Sets work, db, url, sim_url, token, next_core.
bench_cluster() {
  local coreapps="$1" i
  shift
  work="$(mktemp -d /tmp/mc-bench-XXXXXX)"
  chmod 755 "$work"
  pg_port="$(pick_free_port 23000 23999)"
  local base
  base="$("$root/deploy/pg-start" "$work/pg" "$pg_port")"
  export PGPASSFILE="$work/pg/cluster.pgpass"
  psql "$base/postgres" -qAt -c "CREATE DATABASE bench" >/dev/null
  db="$base/bench"
  local http_port sim_port
  http_port="$(pick_free_port 24000 24499)"
  sim_port="$(pick_free_port 24500 24999)"
  start sim upstream-sim --http-port "$sim_port" "$@"
  start m1 master
  start m2 master
  next_core=1
  for ((i = 1; i <= coreapps; i++)); do
    start "c$next_core" coreapp
    next_core=$((next_core + 1))
  done
  start w1 webapp --http-port "$http_port"
  url="http://127.0.0.1:$http_port"
  sim_url="http://127.0.0.1:$sim_port"
  wait_until 30 bash -c "curl -s -o /dev/null '$url/healthz'" ||
    die "the webapp did not come up"
  wait_until 30 bash -c "[ \"\$(psql '$db' -qAt -c \"SELECT count(*) FROM cluster_status WHERE role = 'coreapp' AND state <> 'starting'\" 2>/dev/null)\" = $coreapps ]" ||
    die "the coreapps did not register"
  token="$(curl -s -u admin:secret -X POST "$url/v1/users/login" \
    -d '{"new_password":"Bench!pass1"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
  [ -n "$token" ] || die "login failed"
  curl -s -o /dev/null -H "Authorization: Bearer $token" -X POST "$url/v1/account" \
    -d '{"cc":"1","phone_number":"6315551234","cert":"YmVuY2g="}'
}

# reshard N: changes the shard count through the API; prints the ms it took.
reshard() {
  local t0 t1 code
  t0=$(date +%s%N)
  code="$(curl -s -o "$work/reshard.out" -w '%{http_code}' -m 30 \
    -H "Authorization: Bearer $token" -X POST "$url/v1/account/shards" \
    -d "{\"cc\":\"1\",\"phone_number\":\"6315551234\",\"cert\":\"YmVuY2g=\",\"shards\":$1}")"
  t1=$(date +%s%N)
  [ "$code" = 201 ] || log "reshard to $1 answered $code: $(cat "$work/reshard.out")"
  echo $(((t1 - t0) / 1000000))
}
