# The webhooks-on run of run-bench: a loopback receiver (webhook_sink), the
# cluster's webhook URL pointed at it, and the check that every status of
# every accepted message arrived once. Sourced by run-bench; uses its
# `api` (curl to the cluster with the token), `work`, `log`, `json_get`.
# shellcheck shell=bash

sink_pid=""
sink_url=""
# The settings the run found, put back after each webhooks-on run.
saved_hook_url=""
saved_sent_status=""

# start_listener BIN OUT ARGS...: starts a tool that prints "listening on
# PORT"; sets listener_pid and listener_port (empty when it did not start
# within 5 s).
start_listener() {
  local bin="$1" out="$2"
  shift 2
  "$bin" --port 0 "$@" >"$out" 2>&1 &
  listener_pid=$!
  listener_port=""
  for _ in $(seq 100); do
    listener_port="$(sed -n 's/^listening on \([0-9]*\)$/\1/p' "$out")"
    [ -n "$listener_port" ] && return 0
    kill -0 "$listener_pid" 2>/dev/null || break
    sleep 0.05
  done
  cat "$out" >&2
  return 1
}

# stop_listener PID: TERM, then waits for it.
stop_listener() {
  [ -n "$1" ] || return 0
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

sink_start() {
  start_listener "$sink_bin" "$work/sink.out" || die_bench "webhook_sink did not start"
  sink_pid="$listener_pid"
  sink_url="http://127.0.0.1:$listener_port"
}

sink() { curl -s -f -m 10 "$@"; }

# sink_stat FIELD: a top-level number of the sink's /stats (the last one of
# that name: the per-status objects come first).
sink_stat() {
  sink "$sink_url/stats" | grep -o "\"$1\":-\{0,1\}[0-9]*" | tail -n 1 | cut -d: -f2
}

# hooks_on: points the cluster's webhook at the sink, with "sent" statuses
# on (delivered and read are on by default); remembers what was set.
hooks_on() {
  local cur
  cur="$(api "$url/v1/settings/application")" || die_bench "GET /v1/settings/application failed"
  if [ -z "$saved_sent_status" ]; then
    saved_sent_status="$(grep -o '"sent_status":[a-z]*' <<<"$cur" | cut -d: -f2)"
    saved_hook_url="$(grep -o '"url":"[^"]*"' <<<"$cur" | head -n 1 | cut -d'"' -f4)"
  fi
  api -X PATCH "$url/v1/settings/application" \
    -d "{\"webhooks\":{\"url\":\"$sink_url/hook\"},\"sent_status\":true}" >/dev/null ||
    die_bench "PATCH /v1/settings/application (webhooks.url) failed"
}

# hooks_restore: the webhook URL and sent_status as the run found them.
hooks_restore() {
  [ -n "$saved_sent_status" ] || return 0
  api -X PATCH "$url/v1/settings/application" \
    -d "{\"webhooks\":{\"url\":\"$saved_hook_url\"},\"sent_status\":$saved_sent_status}" \
    >/dev/null || log "restoring the webhook settings failed"
}

# hooks_drain SECONDS: the statuses queued while no webhook was set (the
# plain runs) are posted as soon as one is: waits until the sink has had no
# post for 2 s (at most SECONDS), so they do not count in the measured run.
hooks_drain() {
  local deadline=$((SECONDS + $1)) t0=$SECONDS idle
  # A fresh count: the idle time of an earlier run's last post would end
  # the wait before the backlog starts to flow.
  sink -X POST -d "" "$sink_url/reset" >/dev/null || die_bench "resetting webhook_sink failed"
  while [ "$SECONDS" -lt "$deadline" ]; do
    idle="$(sink_stat idle_ms)"
    if [ "${idle:--1}" -ge 2000 ] || { [ "${idle:--1}" -lt 0 ] && [ $((SECONDS - t0)) -ge 3 ]; }; then
      log "webhook backlog drained: $(sink_stat statuses) earlier statuses in $((SECONDS - t0)) s"
      return 0
    fi
    sleep 0.5
  done
  log "the webhook backlog still flowed after $1 s: the run counts part of it"
}

# hooks_expect IDS_FILE: hands the accepted ids to the sink (as text/plain:
# httplib caps a form-encoded body at 8 KiB).
hooks_expect() {
  sink -X POST -H 'Content-Type: text/plain' --data-binary "@$1" \
    "$sink_url/expect?statuses=sent,delivered,read" >/dev/null || {
    log "POST $sink_url/expect failed"
    return 1
  }
}

# hooks_wait SECONDS T0_NS: waits until no expected status is missing (at
# most SECONDS); prints the seconds from T0_NS (date +%s%N) to the moment it
# saw the last one, or "-" when some were still missing at the end.
hooks_wait() {
  local deadline=$((SECONDS + $1)) missing expected
  while :; do
    missing="$(sink_stat missing)"
    expected="$(sink_stat expected_ids)"
    if [ "${missing:-1}" -eq 0 ] && [ "${expected:-0}" -gt 0 ]; then
      awk -v a="$2" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f\n", (b - a) / 1e9 }'
      return 0
    fi
    [ "$SECONDS" -lt "$deadline" ] || break
    sleep 0.5
  done
  echo "-"
}

# hooks_status_line STATS_FILE: "sent r/m/d  delivered r/m/d  read r/m/d"
# (received / missing / duplicated) of a saved /stats answer.
hooks_status_line() {
  local s obj
  for s in sent delivered read; do
    obj="$(grep -o "\"$s\":{[^}]*}" "$1" | head -n 1)"
    printf '%s %s/%s/%s  ' "$s" \
      "$(grep -o '"received":[0-9]*' <<<"$obj" | cut -d: -f2)" \
      "$(grep -o '"missing":[0-9]*' <<<"$obj" | cut -d: -f2)" \
      "$(grep -o '"duplicated":[0-9]*' <<<"$obj" | cut -d: -f2)"
  done
  echo
}
