#!/usr/bin/env bash
# Rescheduling on a real cluster: cordon a member's node and delete the pod so it must start elsewhere; show
# its new node and IP and that it reattached the same PersistentVolumeClaim and volume; verify every key.
#
#   k8s/demo/reschedule.sh [POD]      (default: a follower)
#
# Node-local volumes (kind's local-path, local PVs) cannot follow a pod to another node: the script detects
# that, does not cordon (the pod could never start), and shows the pod coming back on the same node with a new
# IP and the same volume instead.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
run="reschedule-$(date +%s)"
keys=20

step "client pod"
ensure_toolbox
ENDPOINTS="$(endpoints)"

step "writing $keys keys under demo/$run/"
write_keys "demo/$run" "$keys"

pod="${1:-}"
if [ -z "$pod" ]; then
  lead="$(leader)"
  pod="$(kc get pods -l app.kubernetes.io/name=berth,app.kubernetes.io/instance=berth -o name \
    | sed 's|pod/||' | grep -vx "${lead:-none}" | head -n 1)"
fi
[ -n "$pod" ] || die "no member pod found"
pvc="data-$pod"
node="$(kc get pod "$pod" -o jsonpath='{.spec.nodeName}')"
ip="$(kc get pod "$pod" -o jsonpath='{.status.podIP}')"
pv="$(kc get pvc "$pvc" -o jsonpath='{.spec.volumeName}')"
step "before: $pod on node $node, IP $ip, claim $pvc -> volume $pv"

node_bound="$("${KUBECTL:-kubectl}" get pv "$pv" -o jsonpath='{.spec.nodeAffinity.required}')"
uncordon() { "${KUBECTL:-kubectl}" uncordon "$node" >/dev/null 2>&1 || true; }
if [ -n "$node_bound" ]; then
  info "volume $pv is bound to node $node (node-local storage): the pod can only come back there;"
  info "not cordoning. On network storage this demo moves the pod to another node."
else
  step "cordoning $node so $pod must start elsewhere"
  trap uncordon EXIT
  "${KUBECTL:-kubectl}" cordon "$node"
fi

step "deleting $pod"
start="$(now_ms)"
kc delete pod "$pod" --wait=true >/dev/null
kc wait --for=condition=Ready "pod/$pod" --timeout=600s >/dev/null \
  || die "$pod did not turn Ready within 10 min (kubectl -n $NS describe pod $pod)"
elapsed=$(( $(now_ms) - start ))
new_node="$(kc get pod "$pod" -o jsonpath='{.spec.nodeName}')"
new_ip="$(kc get pod "$pod" -o jsonpath='{.status.podIP}')"
new_pv="$(kc get pvc "$pvc" -o jsonpath='{.spec.volumeName}')"
[ -z "$node_bound" ] && uncordon

step "after: $pod on node $new_node, IP $new_ip, claim $pvc -> volume $new_pv (Ready $(( elapsed / 1000 )) s after the delete)"
[ "$new_ip" != "$ip" ] && info "new IP: peers found it again through its DNS name" || info "same IP as before"
[ "$new_node" != "$node" ] && info "moved from node $node to $new_node"
[ "$new_pv" = "$pv" ] && info "same volume $pv reattached: the member recovered its log and database" \
  || die "claim $pvc now points at $new_pv, not $pv"
bberth status
verify_keys "demo/$run" "$keys"
