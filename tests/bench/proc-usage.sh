# What the processes of the local cluster (deploy/up) cost, read from /proc:
# CPU per accepted message and peak memory per node. Sourced by run-bench
# after it set `root`.
# shellcheck shell=bash

clk_tck="$(getconf CLK_TCK)"

# cluster_procs: "class name pid" for every live process of the cluster of
# $root: the nodes of var/run (class = role: sim, master, coreapp, webapp,
# front) and the cluster's PostgreSQL (class postgres): the postmaster of
# var/pg and its children (backends, writers, walwriter, checkpointer...).
cluster_procs() {
  local f name pid role data pm child
  for f in "$root"/var/run/*.pid; do
    [ -e "$f" ] || continue
    name="$(basename "$f" .pid)"
    pid="$(cat "$f" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/stat" ] || continue
    role="$(cat "${f%.pid}.role" 2>/dev/null || echo "$name")"
    case "$role" in
      upstream-sim | cloud-sim) role=sim ;;
    esac
    echo "$role $name $pid"
  done
  data="$(cat "$root/var/pg/pgdata-path" 2>/dev/null || echo "$root/var/pg")"
  pm="$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)"
  [[ "$pm" =~ ^[0-9]+$ ]] && [ -r "/proc/$pm/stat" ] || return 0
  echo "postgres postmaster $pm"
  for child in $(ps -o pid= --ppid "$pm" 2>/dev/null); do
    echo "postgres pg-$child $child"
  done
}

# proc_ticks PID: "START TICKS": the process's start time (to tell a reused
# pid) and its CPU in clock ticks: utime + stime, plus cutime + cstime, so
# the postmaster also counts the backends that exited meanwhile.
proc_ticks() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  # Fields after the command name, which may hold spaces: state is $1.
  awk '{ print $20, $12 + $13 + $14 + $15 }' <<<"${stat##*) }"
}

# cpu_snapshot FILE [PROCS_CMD]: "class name pid start ticks" per process of
# `cluster_procs` (or of PROCS_CMD, which prints the same lines).
cpu_snapshot() {
  local out="$1" cmd="${2:-cluster_procs}" cls name pid t
  : >"$out"
  while read -r cls name pid; do
    t="$(proc_ticks "$pid")" || continue
    echo "$cls $name $pid $t" >>"$out"
  done < <($cmd)
}

# cpu_per_message BEFORE AFTER MESSAGES: "class µs ..." pairs per class and
# "total µs" last, from two snapshots: a process in both counts its
# difference, one that started in between counts whole. A process gone by
# the second snapshot is left out (a PostgreSQL backend is counted through
# the postmaster's cutime).
cpu_per_message() {
  awk -v n="$3" -v tck="$clk_tck" '
    FNR == NR { before[$3 " " $4] = $5; next }
    {
      key = $3 " " $4
      d = (key in before) ? $5 - before[key] : $5
      if (d < 0) d = 0
      if (!($1 in cls)) order[++k] = $1
      cls[$1] += d
      total += d
    }
    END {
      if (n <= 0) exit
      for (i = 1; i <= k; i++)
        printf "%s %.1f ", order[i], cls[order[i]] / tck * 1e6 / n
      printf "total %.1f cpu_s %.2f\n", total / tck * 1e6 / n, total / tck
    }' "$1" "$2"
}

# echo_procs: the "class name pid" line of the echo server ($echo_pid).
echo_procs() {
  echo "echo echo_server $echo_pid"
}

# rss_report: "name MiB" of VmHWM (the peak resident set) per node of the
# cluster (not PostgreSQL, whose shared buffers every backend maps), then
# "max NAME MiB".
rss_report() {
  local cls name pid kb
  while read -r cls name pid; do
    [ "$cls" = postgres ] && continue
    kb="$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null)"
    [ -n "$kb" ] && echo "$name $kb"
  done < <(cluster_procs) |
    awk '{ mib = $2 / 1024; printf "%s %.1f\n", $1, mib
           if (mib > max) { max = mib; who = $1 } }
         END { printf "max %s %.1f\n", who, max }'
}
