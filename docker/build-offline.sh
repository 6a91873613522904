#!/usr/bin/env bash
# Builds the Berth image on a machine that cannot pull from any container registry.
#
#   docker/build-offline.sh [IMAGE]          (default berth:0.1.0)
#
# 1. Makes two Debian base images from Debian's own packages with mmdebstrap (or debootstrap) and
#    `docker import`s them: berth-base/jdk:<suite> (openjdk-17-jdk-headless, for the Maven stage) and
#    berth-base/jre:<suite> (openjdk-17-jre-headless, the runtime). Reused when they exist
#    (REBUILD_BASE=1 remakes them).
# 2. Runs docker/Dockerfile with those as BUILD_IMAGE and RUNTIME_IMAGE. The Maven stage downloads Maven and
#    the dependencies from Maven Central, so it builds with --network host: this needs the Debian mirror and
#    Maven Central, never a container registry.
#
# Behind a TLS-intercepting proxy the Maven stage must trust the proxy's CA: the build base (never the runtime
# base) gets the host's local CA certificates from BUILD_CA_DIR (default /usr/local/share/ca-certificates).
#
# Needs root (mmdebstrap/debootstrap), docker, and mmdebstrap or debootstrap.
# Environment: DEBIAN_SUITE (bookworm), DEBIAN_MIRROR (http://deb.debian.org/debian), REBUILD_BASE=1,
# BUILD_CA_DIR (a directory of *.crt files; empty for none).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
image="${1:-berth:0.1.0}"
suite="${DEBIAN_SUITE:-bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
jdk_base="berth-base/jdk:$suite"
jre_base="berth-base/jre:$suite"
ca_dir="${BUILD_CA_DIR-/usr/local/share/ca-certificates}"

say() { printf 'build-offline: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

command -v docker >/dev/null || die "docker is not installed (apt-get install docker.io)"
docker info >/dev/null 2>&1 || die "cannot reach the docker daemon; start it (e.g. dockerd &) or check permissions"
[ "$(id -u)" = 0 ] || die "run as root: building a Debian root filesystem needs it"

# Writes a root filesystem tarball of $suite with the given packages to $2; with $3 = yes it also trusts the
# local CA certificates in $ca_dir.
make_rootfs() {
  local packages="$1" tarball="$2" with_cas="${3:-no}" cas=()
  if [ "$with_cas" = yes ] && [ -n "$ca_dir" ] && compgen -G "$ca_dir/*.crt" >/dev/null; then
    say "the build base trusts the local CA certificates in $ca_dir"
    cas=(--customize-hook="copy-in $ca_dir/. /usr/local/share/ca-certificates/"
         --customize-hook='chroot "$1" update-ca-certificates')
  fi
  if command -v mmdebstrap >/dev/null; then
    mmdebstrap --variant=minbase --include="$packages" --aptopt='APT::Install-Recommends "false"' \
      "${cas[@]}" \
      --customize-hook='chroot "$1" apt-get clean' \
      --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
      "$suite" "$tarball" \
      "deb $mirror $suite main" "deb $mirror $suite-updates main" \
      "deb ${mirror%/debian}/debian-security $suite-security main"
  elif command -v debootstrap >/dev/null; then
    local dir
    dir="$(mktemp -d)"
    debootstrap --variant=minbase --include="$packages" "$suite" "$dir" "$mirror" >&2
    if [ "${#cas[@]}" -gt 0 ]; then
      cp "$ca_dir"/*.crt "$dir/usr/local/share/ca-certificates/"
      chroot "$dir" update-ca-certificates >&2
    fi
    chroot "$dir" apt-get clean
    rm -rf "$dir"/var/lib/apt/lists/*
    tar -C "$dir" -cf "$tarball" .
    rm -rf "$dir"
  else
    die "neither mmdebstrap nor debootstrap is installed (apt-get install mmdebstrap)"
  fi
}

make_base() {
  local name="$1" packages="$2" with_cas="${3:-no}" work
  if docker image inspect "$name" >/dev/null 2>&1 && [ "${REBUILD_BASE:-0}" != 1 ]; then
    say "reusing base image $name (REBUILD_BASE=1 remakes it)"
    return
  fi
  say "making base image $name from Debian $suite packages: $packages"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  make_rootfs "$packages" "$work/rootfs.tar" "$with_cas"
  docker import --change 'ENV LANG=C.UTF-8' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' "$work/rootfs.tar" "$name" >/dev/null
}

start=$(date +%s)
make_base "$jdk_base" "ca-certificates,openjdk-17-jdk-headless" yes
make_base "$jre_base" "ca-certificates,openjdk-17-jre-headless"

say "building $image (Maven stage on $jdk_base with --network host, runtime on $jre_base)"
# The classic builder: it needs neither buildx nor a frontend image from a registry.
DOCKER_BUILDKIT=0 docker build --network host -f "$root/docker/Dockerfile" \
  --build-arg BUILD_IMAGE="$jdk_base" --build-arg RUNTIME_IMAGE="$jre_base" \
  -t "$image" "$root"

say "built $image in $(( $(date +%s) - start )) s; size $(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}')"
say "try it: docker run -d --name berth-0 -e POD_NAME=berth-0 -e BERTH_REPLICAS=1 $image server"
