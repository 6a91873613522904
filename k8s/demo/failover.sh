#!/usr/bin/env bash
# Leader failover on a real cluster: find the leader with `berth status` inside the cluster, delete its pod,
# measure how long until the next write is acknowledged, show the new leader, verify every key.
#
#   k8s/demo/failover.sh            graceful delete (SIGTERM: the leader hands over first)
#   k8s/demo/failover.sh --crash    kubectl delete --grace-period=0 --force (no handoff: an election)
#
# Timing resolution is about a second: each probe write is a `kubectl exec` plus a JVM start.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
crash=no
case "${1:-}" in
  --crash) crash=yes ;;
  "") ;;
  *) die "usage: $0 [--crash]" ;;
esac
run="failover-$(date +%s)"
keys=20

step "client pod"
ensure_toolbox
ENDPOINTS="$(endpoints)"
info "endpoints: $ENDPOINTS"

step "writing $keys keys under demo/$run/"
write_keys "demo/$run" "$keys"
bberth status

old="$(leader)"
[ -n "$old" ] || die "no leader: is the cluster up? (kubectl -n $NS get pods)"
step "deleting the leader pod $old ($([ $crash = yes ] && echo 'crash: grace 0, no handoff' || echo 'graceful: SIGTERM, handoff'))"
start="$(now_ms)"
if [ $crash = yes ]; then
  kc delete pod "$old" --grace-period=0 --force --wait=false >/dev/null 2>&1
else
  kc delete pod "$old" --wait=false >/dev/null
fi

attempts=0
until bberth put "demo/$run/after" ok --timeout 2s >/dev/null 2>&1; do
  attempts=$((attempts + 1))
  [ $attempts -lt 120 ] || die "no write was acknowledged within 120 attempts"
done
elapsed=$(( $(now_ms) - start ))
new="$(leader)"
step "result"
info "old leader: $old    new leader: ${new:-(none yet)}"
info "first acknowledged write $(awk -v ms="$elapsed" 'BEGIN {printf "%.1f", ms / 1000}') s after the delete"

step "waiting for $old to come back (same name, same volume)"
sleep 2
kc wait --for=condition=Ready "pod/$old" --timeout=300s >/dev/null || die "$old did not turn Ready within 5 min"
bberth status
verify_keys "demo/$run" "$keys" "demo/$run/after  ok"
