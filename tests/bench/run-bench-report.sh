# The summary of run-bench, from the files its runs left in $work: one row
# per connection count, then the webhooks, the CPU per message and the
# memory. Sourced by run-bench at the end; sets rc to 1 on a failed check.
# shellcheck shell=bash

# ratio A B: A / B in 2 decimals ("-" without both).
ratio() {
  awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else printf "-" }'
}

# cpu_field FILE CLASS: the µs of CLASS in a cpu_per_message line.
cpu_field() {
  awk -v k="$2" '{ for (i = 1; i < NF; i += 2) if ($i == k) print $(i + 1) }' "$1" 2>/dev/null
}

echo
echo "=== send-path benchmark: $messages messages per run, $recipients recipients, $payload payload, rate $rate (0 = flat out) ==="
# The targets of issue 12, beside the figures they are about.
printf '%-6s %10s %10s %6s %7s %7s %7s %-13s' conns "echo/s" "cluster/s" ratio "p50 ms" "p99 ms" \
  "µs/msg" "lost/dup/ord"
[ "$rate" != 0 ] && printf ' %9s' "paced p99"
[ "$webhooks" -eq 1 ] && printf ' %10s %6s %7s %-11s' "hooks/s" ratio "µs/msg" "st miss/dup"
echo
for c in "${counts[@]}"; do
  e="$work/echo_$c.json" p="$work/plain_$c.json" h="$work/hooks_$c.json"
  echo_rate="$(json_get "$e" accepted_per_s)"
  ours="$(json_get "$p" accepted_per_s)"
  printf '%-6s %10s %10s %6s %7s %7s %7s %-13s' "$c" "$(fmt "$echo_rate" 0)" "$(fmt "$ours" 0)" \
    "$(ratio "$ours" "$echo_rate")" "$(fmt "$(json_get "$p" p50_ms)")" \
    "$(fmt "$(json_get "$p" p99_ms)")" "$(cpu_field "$work/plain_$c.cpu" total)" \
    "$(json_get "$p" lost)/$(json_get "$p" dup_in_log)/$(json_get "$p" order_violations)"
  [ "$rate" != 0 ] && printf ' %9s' "$(fmt "$(json_get "$p" sched_p99_ms)")"
  if [ "$webhooks" -eq 1 ]; then
    hooks_rate="$(json_get "$h" accepted_per_s)"
    printf ' %10s %6s %7s %-11s' "$(fmt "$hooks_rate" 0)" "$(ratio "$hooks_rate" "$echo_rate")" \
      "$(cpu_field "$work/hooks_$c.cpu" total)" \
      "$(grep -o '"missing":[0-9]*' "$work/hooks_$c.stats" 2>/dev/null | tail -n 1 | cut -d: -f2)/$(grep -o '"duplicated":[0-9]*' "$work/hooks_$c.stats" 2>/dev/null | tail -n 1 | cut -d: -f2)"
  fi
  echo
done
echo "targets: ratio >= 0.40 at 64 connections, >= 0.50 at 256 and 1024; µs/msg <= 100 (all cluster processes);"
echo "         0 lost/dup/reordered; p99 <= 25 ms paced at half the flat-out rate (--rate); webhooks ratio >= 0.25, 0 missing/dup"

for c in "${counts[@]}"; do
  p="$work/plain_$c.json"
  [ -s "$p" ] || continue
  printf '\nat %s connections:\n' "$c"
  printf '  cluster:  accepted %s failed %s retried %s; p999 %s max %s ms; delivered upstream %s msg/s; sim duplicates %s, unexpected %s; longest stall %s ms; loadgen %s\n' \
    "$(json_get "$p" accepted)" "$(json_get "$p" failed)" "$(json_get "$p" retried)" \
    "$(fmt "$(json_get "$p" p999_ms)")" "$(fmt "$(json_get "$p" max_ms)")" \
    "$(fmt "$(json_get "$p" delivered_per_s)" 0)" "$(json_get "$p" sim_duplicates)" \
    "$(json_get "$p" unexpected)" "$(fmt "$(json_get "$p" max_gap_ms)")" \
    "$(grep -q '"pass":true' "$p" && echo PASS || echo FAIL)"
  if [ "$rate" != 0 ]; then
    printf '  paced at %s msg/s; latency from schedule: p50 %s  p99 %s  p999 %s ms\n' "$rate" \
      "$(fmt "$(json_get "$p" sched_p50_ms)")" "$(fmt "$(json_get "$p" sched_p99_ms)")" \
      "$(fmt "$(json_get "$p" sched_p999_ms)")"
  fi
  printf '  CPU µs per accepted message, plain:    %s\n' "$(cat "$work/plain_$c.cpu" 2>/dev/null)"
  [ -s "$work/echo_$c.cpu" ] &&
    printf '  CPU µs per message of the echo server: %s\n' "$(cpu_field "$work/echo_$c.cpu" total)"
  h="$work/hooks_$c.json"
  [ -s "$h" ] || continue
  printf '  CPU µs per accepted message, webhooks: %s\n' "$(cat "$work/hooks_$c.cpu" 2>/dev/null)"
  s="$work/hooks_$c.stats"
  printf '  webhooks: accepted %s (loadgen %s, p99 %s ms); every status in %s s from the start (limit %s s); received/missing/duplicated: %s\n' \
    "$(json_get "$h" accepted)" "$(grep -q '"pass":true' "$h" && echo PASS || echo FAIL)" \
    "$(fmt "$(json_get "$h" p99_ms)")" "$(cat "$work/hooks_$c.done" 2>/dev/null)" "$webhook_wait" \
    "$(hooks_status_line "$s")"
  printf '  webhooks: %s posts, %s inbound messages (none expected: deploy/up runs the simulator without --sim-inbound-rate), %s statuses of other ids (earlier runs), %s unparsable\n' \
    "$(grep -o '"posts":[0-9]*' "$s" | cut -d: -f2)" "$(grep -o '"inbound":[0-9]*' "$s" | cut -d: -f2)" \
    "$(grep -o '"other":[0-9]*' "$s" | cut -d: -f2 | awk '{ t += $1 } END { print t + 0 }')" \
    "$(grep -o '"bad_posts":[0-9]*' "$s" | cut -d: -f2)"
done

if [ -s "$work/rss" ]; then
  printf '\npeak RSS (VmHWM, MiB) per node at the end: %s\n' "$(grep -v '^max ' "$work/rss" | tr '\n' ' ')"
  printf 'max over nodes: %s (target <= 64 MiB)\n' "$(sed -n 's/^max \(.*\) \(.*\)$/\2 MiB (\1)/p' "$work/rss")"
fi
for f in "$work"/echo_*.json "$work"/plain_*.json "$work"/hooks_*.json; do
  [ -e "$f" ] || continue
  grep -q '"pass":true' "$f" || rc=1
done
echo "result: $([ "$rc" -eq 0 ] && echo PASS || echo FAIL)"
