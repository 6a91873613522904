# Shared by the demo scripts: kubectl against the Berth namespace and a client pod inside the cluster.
# Environment: BERTH_NAMESPACE (default berth), KUBECTL (default kubectl).
NS="${BERTH_NAMESPACE:-berth}"
STS=berth
TOOLBOX=berth-toolbox
DEMO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

kc() { "${KUBECTL:-kubectl}" -n "$NS" "$@"; }
step() { printf '\n== %s\n' "$*"; }
info() { printf '   %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }

# Every member's client address under the headless Service (any member answers; the others are failover targets).
endpoints() {
  local n svc list="" i
  n="$(kc get statefulset "$STS" -o jsonpath='{.spec.replicas}')" || die "no StatefulSet $STS in namespace $NS"
  svc="$(kc get statefulset "$STS" -o jsonpath='{.spec.serviceName}')"
  for ((i = 0; i < n; i++)); do list+="${list:+,}$STS-$i.$svc.$NS.svc:7379"; done
  printf '%s' "$list"
}

# A small pod running the berth image, from which the client commands run inside the cluster.
ensure_toolbox() {
  kc apply -f "$DEMO_DIR/toolbox.yaml" >/dev/null
  kc wait --for=condition=Ready "pod/$TOOLBOX" --timeout=120s >/dev/null || die "pod $TOOLBOX did not start"
}

# `berth` inside the cluster, e.g. bberth status; bberth put k v.
bberth() { kc exec "$TOOLBOX" -- berth --endpoints "$ENDPOINTS" "$@"; }

leader() { bberth status 2>/dev/null | awk '/^leader:/ {print $2}'; }

# Writes KEYS keys under prefix $1 (values v0..).
write_keys() {
  local prefix="$1" n="$2" i
  for ((i = 0; i < n; i++)); do bberth put "$prefix/k$i" "v$i" >/dev/null || die "write $prefix/k$i failed"; done
}

# Checks that every key under $1 is there with its value (k<i> = v<i>), plus any extra "KEY VALUE" lines in $3.
verify_keys() {
  local prefix="$1" n="$2" extra="${3:-}" got expected
  got="$(bberth scan --prefix "$prefix/" --limit 100000 | tail -n +2 | sort)"
  expected="$( { for ((i = 0; i < n; i++)); do printf '%s/k%d  v%d\n' "$prefix" "$i" "$i"; done
                 [ -n "$extra" ] && printf '%s\n' "$extra"; } | sort)"
  if [ "$(printf '%s\n' "$got" | tr -s ' ')" = "$(printf '%s\n' "$expected" | tr -s ' ')" ]; then
    info "verified: all $(printf '%s\n' "$expected" | grep -c .) keys under $prefix/ are present with their values"
  else
    diff <(printf '%s\n' "$expected" | tr -s ' ') <(printf '%s\n' "$got" | tr -s ' ') >&2 || true
    die "verification failed: keys under $prefix/ differ from what was written (diff above: < expected, > found)"
  fi
}
