#!/usr/bin/env bash
# compare-etcd.sh: Berth against etcd on this machine, with one harness (berth bench) and the same settings.
#
# Starts a 3-member etcd (Debian's etcd-server, data on disk, fsync on: etcd's defaults) and a 3-member Berth
# (hand-started `berth server` processes) on 127.0.0.1, runs each workload on both systems alternately, and
# prints a markdown table: each figure for both systems, the ratio berth/etcd, the target, and the load average
# when each figure was taken. Stops every process it started (by PID) and removes its data, also on failure or
# Ctrl-C. Targets are reported, not asserted: the script exits 0 whenever every run completed.
#
# Usage: scripts/compare-etcd.sh [--duration 30s] [--warmup 15s] [--jit-warmup 60s] [--rounds 1]
#                                [--rss-keys 1000000] [--keys 10000] [--value-size 256] [--base-port 24000] [--keep]
#   --warmup D     load before each measurement, not counted; long enough for the JVM's JIT to finish
#                  compiling the hot paths (a member runs for days: steady state is what counts)
#   --jit-warmup D one unreported mixed run per system before everything else: a fresh JVM keeps compiling
#                  for about a minute under load on 2 cores (measured), etcd gets the same run
#   --rounds N     run every workload N times on each system (order alternating) and report the medians
#   --rss-keys N   keys written before measuring resident memory (0 skips the memory figure)
#   --keep         keep the data directory and logs (printed at the end)
# Environment: BERTH_SERVER_JAVA_OPTS (JVM flags of the Berth members, default "$BERTH_OPTS" below: a small heap
# and capped direct memory and code cache, for a member under 512 MiB resident), WORK_DIR (parent of the data
# directory, default /var/tmp).
set -euo pipefail

duration=30s warmup=15s jit_warmup=60s rounds=1 rss_keys=1000000 keys=10000 value_size=256 base_port=24000 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --jit-warmup) jit_warmup="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --rss-keys) rss_keys="$2"; shift 2 ;;
    --keys) keys="$2"; shift 2 ;;
    --value-size) value_size="$2"; shift 2 ;;
    --base-port) base_port="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare-etcd.sh: unknown option '$1'; see --help" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Measured: -Xmx256m alone left a member at 529 MiB resident after 100,000 keys; these flags at 424 MiB.
BERTH_OPTS="${BERTH_SERVER_JAVA_OPTS:--Xmx192m -XX:MaxDirectMemorySize=64m -XX:ReservedCodeCacheSize=48m}"
berth="$root/berth"
work="$(mktemp -d "${WORK_DIR:-/var/tmp}/berth-vs-etcd.XXXXXX")"
pids=()

log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
load1() { cut -d' ' -f1 /proc/loadavg; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ ${#pids[@]} -gt 0 ]; then
    log "stopping ${#pids[@]} processes: ${pids[*]}"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 1 100); do
      local alive=0
      for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
      [ "$alive" = 0 ] && break
      sleep 0.1
    done
    kill -KILL "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
  fi
  if [ "$keep" = 1 ] || [ "$status" != 0 ]; then
    log "data and logs kept in $work"
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- etcd -------------------------------------------------------------------------------------------------
if ! command -v etcd >/dev/null || ! command -v etcdctl >/dev/null; then
  log "installing Debian's etcd-server and etcd-client"
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq etcd-server etcd-client >/dev/null
fi
# The package may start its own etcd through the init system; ours use other ports, so it does not matter.

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in $(seq "$base_port" $((base_port + 29))); do
  port_free "$p" || { echo "compare-etcd.sh: port $p is in use; pick another range with --base-port" >&2; exit 2; }
done

etcd_client() { echo $((base_port + $1 * 2)); }
etcd_peer() { echo $((base_port + $1 * 2 + 1)); }
cluster=""
for i in 0 1 2; do cluster+="${cluster:+,}etcd-$i=http://127.0.0.1:$(etcd_peer "$i")"; done
for i in 0 1 2; do
  mkdir -p "$work/etcd-$i"
  etcd --name "etcd-$i" --data-dir "$work/etcd-$i" \
    --listen-client-urls "http://127.0.0.1:$(etcd_client "$i")" \
    --advertise-client-urls "http://127.0.0.1:$(etcd_client "$i")" \
    --listen-peer-urls "http://127.0.0.1:$(etcd_peer "$i")" \
    --initial-advertise-peer-urls "http://127.0.0.1:$(etcd_peer "$i")" \
    --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token "bench-$$" \
    --quota-backend-bytes $((4 * 1024 * 1024 * 1024)) --logger zap --log-level warn \
    >"$work/etcd-$i.log" 2>&1 &
  pids+=($!)
  etcd_pids[$i]=$!
done
etcd_endpoints="127.0.0.1:$(etcd_client 0),127.0.0.1:$(etcd_client 1),127.0.0.1:$(etcd_client 2)"

# --- berth ------------------------------------------------------------------------------------------------
berth_client() { echo $((base_port + 10 + $1 * 3)); }
berth_peer() { echo $((base_port + 11 + $1 * 3)); }
berth_admin() { echo $((base_port + 12 + $1 * 3)); }
peers=""
for i in 0 1 2; do peers+="${peers:+,}berth-$i=127.0.0.1:$(berth_peer "$i"):$(berth_client "$i")"; done
[ -n "$(ls "$root"/modules/berth-cli/target/berth-cli-*.jar 2>/dev/null)" ] || "$berth" --version >/dev/null
for i in 0 1 2; do
  BERTH_JAVA_OPTS="$BERTH_OPTS" "$berth" server --name "berth-$i" \
    --data-dir "$work/berth-$i" --peers "$peers" --bind-address 127.0.0.1 --client-port "$(berth_client "$i")" \
    --peer-port "$(berth_peer "$i")" --admin-port "$(berth_admin "$i")" >"$work/berth-$i.log" 2>&1 &
  pids+=($!)
  berth_pids[$i]=$!
done
berth_endpoints="127.0.0.1:$(berth_client 0),127.0.0.1:$(berth_client 1),127.0.0.1:$(berth_client 2)"

wait_until() { # wait_until SECONDS WHAT COMMAND...
  local seconds="$1" what="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "compare-etcd.sh: process $pid died while waiting for $what; logs in $work" >&2; exit 3; }
    done
    [ "$SECONDS" -lt "$deadline" ] || { echo "compare-etcd.sh: $what not ready within ${seconds}s; logs in $work" >&2; exit 3; }
    sleep 0.5
  done
}
http_get() { # http_get PORT PATH: the body of a plain HTTP GET on 127.0.0.1 (no curl on a fresh machine)
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
  sed '1,/^\r\{0,1\}$/d' <&3
  exec 3<&-
}
berth_ready() { for i in 0 1 2; do [ "$(http_get "$(berth_admin "$i")" /readyz)" = ok ] || return 1; done; }
log "waiting for etcd ($etcd_endpoints) and berth ($berth_endpoints)"
wait_until 60 "etcd" etcdctl --endpoints "$etcd_endpoints" endpoint health
wait_until 120 "berth" berth_ready

# Both clients talk to their leader (etcd forwards proposals and Berth forwards commands from a follower: an
# extra hop on one side only would skew the comparison), so each endpoint list starts with the leader.
etcd_leader() {
  etcdctl --endpoints "$etcd_endpoints" endpoint status -w simple 2>/dev/null \
    | awk -F', ' '$5 == "true" {print $1; exit}' || true
}
berth_leader() {
  local name
  name="$("$berth" --endpoints "$berth_endpoints" status -o json 2>/dev/null | grep -o '"leader":"[^"]*"' \
    | head -1 | cut -d'"' -f4 || true)"
  if [ -n "$name" ]; then echo "127.0.0.1:$(berth_client "${name##*-}")"; fi
}
leader_first() { # leader_first LEADER LIST (the list as it is when no leader is known)
  if [ -z "$1" ]; then echo "$2"; return; fi
  echo "$1,$(echo "$2" | tr ',' '\n' | grep -vx "$1" | paste -sd, -)"
}

seconds() { # seconds 15s|2m|500ms: whole seconds of a bench duration
  case "$1" in
    *ms) echo 0 ;;
    *s) echo "${1%s}" ;;
    *m) echo $((${1%m} * 60)) ;;
    *) echo "$1" ;;
  esac
}
cpu_ticks() { # cpu_ticks SYSTEM: user+system CPU ticks used so far by that system's three members
  local list
  if [ "$1" = etcd ]; then list="${etcd_pids[*]}"; else list="${berth_pids[*]}"; fi
  for pid in $list; do awk '{print $14 + $15}' "/proc/$pid/stat"; done | awk '{n += $1} END {print n + 0}'
}

# --- runs -------------------------------------------------------------------------------------------------
results="$work/results"
: >"$results"
bench() { # bench SYSTEM LABEL ARGS...: one run; appends "SYSTEM LABEL LOAD JSON" to the results
  local system="$1" label="$2"; shift 2
  local endpoints leader
  if [ "$system" = etcd ]; then
    leader="$(etcd_leader)"; endpoints="$(leader_first "$leader" "$etcd_endpoints")"
  else
    leader="$(berth_leader)"; endpoints="$(leader_first "$leader" "$berth_endpoints")"
  fi
  local load cpu_before cpu_after
  load="$(load1)"
  log "$system $label (leader $leader, load $load): berth bench $*"
  # The servers' CPU time per measured request, from the end of the warm-up (the bench JVM takes about a second
  # to start) to the end: on a shared machine this says more about efficiency than throughput does, which
  # follows the CPU share the other tenants leave.
  (sleep $(($(seconds "$warmup") + 1)); cpu_ticks "$system" >"$work/cpu-mark") &
  local marker=$!
  local out
  out="$("$berth" bench --protocol "$system" --endpoints "$endpoints" --key-prefix "${PREFIX:-$label}/" -o json \
    "$@" 2>>"$work/bench-progress.log")"
  cpu_after="$(cpu_ticks "$system")"
  wait "$marker" || true
  cpu_before="$(cat "$work/cpu-mark")"
  local ops cpu_ms
  ops="$(echo "$out" | grep -o '"count":[0-9]*' | cut -d: -f2 | awk '{n += $1} END {print n + 0}')"
  cpu_ms="$(awk -v t=$((cpu_after - cpu_before)) -v hz="$(getconf CLK_TCK)" -v n="$ops" \
    'BEGIN { if (n > 0) printf "%.3f", t * 1000 / hz / n; else print 0 }')"
  echo "$system $label $load/$(load1) $out" | sed "s/}\$/,\"cpuMsPerOp\":$cpu_ms}/" >>"$results"
  log "  -> $(echo "$out" | grep -o '"seconds":[^,]*,"throughput":[0-9.]*' | sed 's/.*://') ops/s," \
    "p50 $(echo "$out" | grep -o '"p50":[0-9.]*' | head -1 | cut -d: -f2) ms," \
    "p99 $(echo "$out" | grep -o '"p99":[0-9.]*' | head -1 | cut -d: -f2) ms," \
    "errors $(echo "$out" | grep -o '"errorCount":[0-9]*' | cut -d: -f2)"
}
common=(--duration "$duration" --warmup "$warmup" --keys "$keys" --value-size "$value_size")
# One unreported mixed run per system first: a fresh JVM needs its JIT to compile the hot paths (on a loaded
# 2-core machine that takes longer than one warm-up), and etcd gets the same treatment.
for s in berth etcd; do
  bench "$s" jit-warmup --workload mixed --read-ratio 0.5 --in-flight 64 --duration "$jit_warmup" --warmup 1s \
    --keys "$keys" --value-size "$value_size"
done
for round in $(seq 1 "$rounds"); do
  # Alternate which system goes first, so neither always runs on the warmer (or more loaded) machine.
  if [ $((round % 2)) = 1 ]; then order=(berth etcd); else order=(etcd berth); fi
  for s in "${order[@]}"; do bench "$s" put64 --workload put --in-flight 64 "${common[@]}"; done
  for s in "${order[@]}"; do
    PREFIX=get64 bench "$s" get64-prefill --workload fill --in-flight 64 --keys "$keys" --value-size "$value_size"
    bench "$s" get64 --workload get --no-prefill --in-flight 64 "${common[@]}"
  done
  for s in "${order[@]}"; do bench "$s" put16 --workload put --in-flight 16 "${common[@]}"; done
done

rss_note="skipped (--rss-keys 0)"
if [ "$rss_keys" -gt 0 ]; then
  for s in berth etcd; do
    bench "$s" fill --workload fill --in-flight 64 --keys "$rss_keys" --value-size "$value_size"
  done
  sleep 5 # let compactions and flushes settle
  rss_of() { awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
  berth_rss="$(for i in 0 1 2; do rss_of "${berth_pids[$i]}"; echo; done | sort -n | tail -1)"
  etcd_rss="$(for i in 0 1 2; do rss_of "${etcd_pids[$i]}"; echo; done | sort -n | tail -1)"
  rss_note="after writing $rss_keys keys of $value_size bytes"
fi

# --- report -----------------------------------------------------------------------------------------------
# figure SYSTEM LABEL JSON_FIELD: the median over the rounds of a number in the bench JSON
figure() {
  local pattern
  case "$3" in
    throughput) pattern='"seconds":[0-9.eE+-]*,"throughput":[0-9.eE+-]*' ;;
    *) pattern="\"$3\":[0-9.eE+-]*" ;;
  esac
  awk -v s="$1" -v l="$2" '$1 == s && $2 == l' "$results" | grep -o "$pattern" | head -n "$rounds" \
    | sed 's/.*://' | sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "n/a"; else printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
loads() { awk -v s="$1" -v l="$2" '$1 == s && $2 == l {print $3}' "$results" | paste -sd' ' -; }
errors() { awk -v s="$1" -v l="$2" '$1 == s && $2 == l' "$results" | grep -o '"errorCount":[0-9]*' | cut -d: -f2 | awk '{n += $1} END {print n + 0}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }
row() { # row TITLE LABEL FIELD TARGET
  local b e
  b="$(figure berth "$2" "$3")"; e="$(figure etcd "$2" "$3")"
  printf '| %s | %s | %s | %s | %s | %s / %s | %s / %s |\n' "$1" "$b" "$e" "$(ratio "$b" "$e")" "$4" \
    "$(loads berth "$2")" "$(loads etcd "$2")" "$(errors berth "$2")" "$(errors etcd "$2")"
}

echo
echo "### Berth vs etcd $(etcd --version | awk '/etcd Version/ {print $3}') on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "3 members each on 127.0.0.1, ${value_size}-byte values, $keys keys, ${duration} measured after ${warmup} warm-up," \
  "$rounds round(s) (medians), clients on the leader, linearizable reads on both."
echo "Berth JVM flags: $BERTH_OPTS; etcd: defaults (fsync on)."
echo
echo "| figure | berth | etcd | berth/etcd | target | load 1m before/after (berth / etcd) | errors (berth / etcd) |"
echo "|---|---|---|---|---|---|---|"
row "put throughput, 64 in flight (ops/s)" put64 throughput ">= 1.5"
row "linearizable get throughput, 64 in flight (ops/s)" get64 throughput ">= 3"
row "put p99 latency, 16 in flight (ms)" put16 p99 "<= 1"
row "put p50 latency, 16 in flight (ms)" put16 p50 ""
row "put p99 latency, 64 in flight (ms)" put64 p99 ""
row "get p99 latency, 64 in flight (ms)" get64 p99 ""
row "server CPU per put, 64 in flight (ms, 3 members)" put64 cpuMsPerOp ""
row "server CPU per get, 64 in flight (ms, 3 members)" get64 cpuMsPerOp ""
if [ "$rss_keys" -gt 0 ]; then
  printf '| max member RSS %s (MiB) | %s | %s | %s | berth < 512 | %s / %s | %s / %s |\n' "$rss_note" "$berth_rss" \
    "$etcd_rss" "$(ratio "$berth_rss" "$etcd_rss")" "$(loads berth fill)" "$(loads etcd fill)" \
    "$(errors berth fill)" "$(errors etcd fill)"
  row "fill throughput, 64 in flight (ops/s)" fill throughput ""
fi
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
