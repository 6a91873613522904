#!/usr/bin/env bash
# Labels the current leader pod berth.io/leader=true (and removes the label from the others), so the
# leader-kill chaos manifests select it. The leader is asked with `berth status` inside the cluster.
#   k8s/chaos/mark-leader.sh && kubectl apply -f k8s/chaos/pod-kill-leader-crash.yaml
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../demo/lib.sh"
ensure_toolbox
ENDPOINTS="$(endpoints)"
lead="$(leader)"
[ -n "$lead" ] || die "no leader found: is the cluster up? (kubectl -n $NS get pods)"
kc label pods -l app.kubernetes.io/name=berth,app.kubernetes.io/instance=berth berth.io/leader- >/dev/null
kc label pod "$lead" berth.io/leader=true >/dev/null
echo "marked $lead as the leader (berth.io/leader=true)"
