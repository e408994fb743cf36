# Shared functions of the deploy/ scripts. Source it; do not run it.
# shellcheck shell=bash

MC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
export MC_ROOT PG_BIN

# Prints a message prefixed with the script's name to stderr.
log() {
  printf '%s: %s\n' "$(basename "$0")" "$*" >&2
}

# Prints a message and exits 1.
die() {
  log "error: $*"
  exit 1
}

is_root() {
  [ "$(id -u)" -eq 0 ]
}

# The account that owns and runs a private PostgreSQL: initdb refuses root,
# so root hands it to `postgres`; a normal user runs it as itself.
pg_owner() {
  if is_root; then
    echo postgres
  else
    id -un
  fi
}

# Runs a command as the PostgreSQL owner, from / so that a cwd the owner
# cannot read does not matter.
as_pg_owner() {
  if is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# Fails unless the PostgreSQL 15 server binaries are installed.
require_pg_binaries() {
  if [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
    die "PostgreSQL 15 is not installed ($PG_BIN/initdb missing): run ./deploy/install-deps"
  fi
  if is_root; then
    id postgres >/dev/null 2>&1 ||
      die "user 'postgres' does not exist: run ./deploy/install-deps"
  fi
}

# True when something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
  local port="$1"
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null
}

# A TCP port in [lo, hi] nobody listens on, starting at a random offset so
# that concurrent runs rarely pick the same one.
pick_free_port() {
  local lo="$1" hi="$2" span start i port
  span=$((hi - lo + 1))
  start=$(((RANDOM * 32768 + RANDOM) % span))
  for ((i = 0; i < span; i++)); do
    port=$((lo + (start + i) % span))
    if ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# Polls a command every 0.2 s until it succeeds or SECONDS_MAX pass.
wait_until() {
  local seconds_max="$1"
  shift
  local deadline=$((SECONDS + seconds_max))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      return 1
    fi
    sleep 0.2
  done
}

# The data directory of the private PostgreSQL recorded in DIR, or nothing.
pg_data_dir() {
  local dir="$1"
  if [ -f "$dir/pgdata-path" ]; then
    cat "$dir/pgdata-path"
  fi
}

# True while the private PostgreSQL recorded in DIR is running.
pg_running() {
  local data
  data="$(pg_data_dir "$1")"
  [ -n "$data" ] && [ -f "$data/PG_VERSION" ] &&
    as_pg_owner "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1
}

# True if PID is alive and its command line contains WORD.
pid_is() {
  local pid="$1" word="$2"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$word"
}

# The role the cluster connects as (deploy/pg-start creates it).
MC_PG_ROLE=multiconnect
export MC_PG_ROLE

# The local cluster's state lives here (deploy/up, down, status).
MC_VAR="$MC_ROOT/var"
MC_PG_DIR="$MC_VAR/pg"
MC_PG_PORT="${MC_PG_PORT:-25432}"
MC_DB_NAME=multiconnect
MC_PG_BASE="postgresql://$MC_PG_ROLE@127.0.0.1:$MC_PG_PORT"
# The password is in a 0600 libpq password file, named in the URI: the
# nodes' command lines show its path, never the password.
MC_PG_PASSFILE="$MC_PG_DIR/cluster.pgpass"
MC_DB_URI="$MC_PG_BASE/$MC_DB_NAME?passfile=$MC_PG_PASSFILE"
export MC_VAR MC_PG_DIR MC_PG_PORT MC_DB_NAME MC_PG_BASE MC_PG_PASSFILE MC_DB_URI

# Node names of the local cluster that have a live process.
live_nodes() {
  local f pid
  for f in "$MC_VAR"/run/*.pid; do
    [ -e "$f" ] || continue
    pid="$(cat "$f" 2>/dev/null || true)"
    if pid_is "$pid" multiconnect; then
      basename "$f" .pid
    fi
  done
}

# Secrets of the local cluster, readable by its user only.
MC_SECRETS="$MC_VAR/secrets"
MC_TLS_DIR="$MC_VAR/tls"
export MC_SECRETS MC_TLS_DIR

# save_api_key KEY: writes the cluster's API key to $MC_SECRETS/api-key and
# a curl header file $MC_SECRETS/api-key.header (both 0600), so that scripts
# pass it as `curl -H @FILE` and no command line shows it. Each file is
# written beside and renamed over the old one (deploy/rotate-secrets), so
# a reader sees the old key or the new one, never half of one, and a file
# someone had opened up gets 0600 again.
save_api_key() {
  (
    umask 077
    mkdir -p "$MC_SECRETS"
    chmod 0700 "$MC_SECRETS"
    printf '%s\n' "$1" >"$MC_SECRETS/.api-key.new"
    printf 'X-API-Key: %s\n' "$1" >"$MC_SECRETS/.api-key.header.new"
    mv -f "$MC_SECRETS/.api-key.new" "$MC_SECRETS/api-key"
    mv -f "$MC_SECRETS/.api-key.header.new" "$MC_SECRETS/api-key.header"
  )
}

# node_tls_flags NAME: the mutual-TLS flags of node NAME, with its
# certificate from the private CA in var/tls (deploy/ca issues it once).
node_tls_flags() {
  "$MC_ROOT/deploy/ca" "$MC_TLS_DIR" "$1" >/dev/null
  printf '%s\n' --tls-cert "$MC_TLS_DIR/$1.crt" --tls-key "$MC_TLS_DIR/$1.key" \
    --tls-ca "$MC_TLS_DIR/ca.crt"
}

# front_tls_pem: the path of the front's certificate and key in one PEM
# (var/tls/front.pem, 0600), the form HAProxy's `crt` takes; the
# certificate (SAN localhost, 127.0.0.1) comes from the private CA in
# var/tls (deploy/ca issues it once).
front_tls_pem() {
  "$MC_ROOT/deploy/ca" "$MC_TLS_DIR" front >/dev/null
  (
    umask 077
    cat "$MC_TLS_DIR/front.crt" "$MC_TLS_DIR/front.key" >"$MC_TLS_DIR/front.pem"
    chmod 0600 "$MC_TLS_DIR/front.pem"
  )
  echo "$MC_TLS_DIR/front.pem"
}
