#!/usr/bin/env bash
# Builds the local stand-ins for the public images the compose files name, because no
# image registry can be reached here:
#   cryptostream/standin-node:20      for node:20-bookworm-slim (NODE_IMAGE)
#   cryptostream/standin-kafka:3.9.2  for apache/kafka:3.9.2   (KAFKA_IMAGE)
# Both start from a Debian bookworm rootfs made with debootstrap (minbase) on this machine;
# the node image gets the machine's own node + npm, the Kafka image gets
# openjdk-17-jre-headless (installed by debootstrap itself) and Kafka's jars from Maven.
#
# Cached and idempotent: rootfs tarballs and jars live under .cache/docker/; each image
# carries a label with the hash of its inputs and is rebuilt only when that hash changes.
# Usage: docker/build-standins.sh [node|kafka]...   (default: both)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
# CI may point this at a folder that outlives the work tree.
# Outside the work tree: fresh clones on this machine (CI's) reuse the tarballs and jars.
CACHE="${STANDIN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cryptostream/docker}"
SUITE=bookworm
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# Same pin as scripts/kafka (kafkajs 2.2.4 needs the protocol versions Kafka 4 dropped).
KAFKA_VERSION="${STANDIN_KAFKA_VERSION:-3.9.2}"
NODE_TAG=cryptostream/standin-node:20
KAFKA_TAG=cryptostream/standin-kafka:$KAFKA_VERSION
LABEL=cryptostream.standin.inputs
BASE_PKGS="ca-certificates"
# Java comes from Debian inside the chroot, so `docker build` needs no registry access.
JRE_PKGS="ca-certificates,openjdk-17-jre-headless"

log() { printf '[standins] %s\n' "$*" >&2; }
sha() { sha256sum "$@" | cut -c1-64; }
# Hash of a list of strings/files: stable across runs, changes when any input changes.
hash_of() { printf '%s\n' "$@" | sha256sum | cut -c1-16; }
image_label() { docker image inspect -f "{{ index .Config.Labels \"$LABEL\" }}" "$1" 2>/dev/null || true; }
timed() {
  local what=$1 t0=$SECONDS
  shift
  "$@"
  log "TIME $what: $((SECONDS - t0))s"
}

mkdir -p "$CACHE/debs"

# rootfs_tar NAME INCLUDES -> prints the tarball's path (named by its inputs; not built yet).
rootfs_tar() {
  printf '%s' "$CACHE/rootfs-$1-$(hash_of "$SUITE" "$2" v1).tar"
}

# ensure_rootfs TAR INCLUDES: runs debootstrap only when the tarball is missing.
ensure_rootfs() {
  local tar=$1 include=$2 dir t0=$SECONDS
  if [ -s "$tar" ]; then
    log "rootfs: cached ($(basename "$tar"))"
    return
  fi
  dir="$tar.tmp"
  rm -rf "$dir"
  log "rootfs: debootstrap $SUITE minbase + $include"
  debootstrap --variant=minbase --include="$include" --cache-dir="$CACHE/debs" \
    "$SUITE" "$dir" "$MIRROR" >"$tar.debootstrap.log" 2>&1 ||
    {
      tail -n 30 "$tar.debootstrap.log" >&2
      exit 1
    }
  # Slim the image: package caches and lists are of no use without a reachable mirror.
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* \
    "$dir"/usr/share/man/* "$dir"/usr/share/locale/*
  tar --numeric-owner -C "$dir" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
    -cf "$tar.part" .
  mv "$tar.part" "$tar"
  rm -rf "$dir"
  log "TIME debootstrap $(basename "$tar" .tar): $((SECONDS - t0))s"
}

# import_rootfs TAR INCLUDES TAG: docker import, skipped when the image already holds that
# tarball (so a fresh clone on a machine whose engine has the images needs no debootstrap).
import_rootfs() {
  local tar=$1 include=$2 tag=$3 key
  key=$(basename "$tar" .tar)
  if [ "$(image_label "$tag")" = "$key" ]; then
    log "image $tag: cached"
    return
  fi
  ensure_rootfs "$tar" "$include"
  log "image $tag: importing $(basename "$tar")"
  docker import --change "LABEL $LABEL=$key" --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' "$tar" "$tag" >/dev/null
}

build_node() {
  local tar ctx key node_bin npm_dir ca
  tar=$(rootfs_tar base "$BASE_PKGS")
  node_bin="$(readlink -f "$(command -v node)")"
  npm_dir="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)"
  ca=/etc/ssl/certs/ca-certificates.crt
  key=$(hash_of "$(basename "$tar")" "$(sha "$node_bin")" "$(sha "$npm_dir/package.json")" \
    "$(sha "$ca")" "$(sha "$HERE/standin-node/Dockerfile")")
  if [ "$(image_label "$NODE_TAG")" = "$key" ]; then
    log "image $NODE_TAG: cached"
    return
  fi
  import_rootfs "$tar" "$BASE_PKGS" cryptostream/rootfs-base:$SUITE
  ctx="$CACHE/ctx-node"
  rm -rf "$ctx" && mkdir -p "$ctx"
  cp "$node_bin" "$ctx/node"
  cp -a "$npm_dir" "$ctx/npm"
  cp "$ca" "$ctx/ca-certificates.crt"
  cp "$HERE/standin-node/Dockerfile" "$ctx/Dockerfile"
  log "image $NODE_TAG: building (node $("$node_bin" --version), npm from $npm_dir)"
  docker build -q --build-arg ROOTFS_IMAGE=cryptostream/rootfs-base:$SUITE \
    --label "$LABEL=$key" -t "$NODE_TAG" "$ctx" >/dev/null 2>"$CACHE/build-node.log" ||
    {
      cat "$CACHE/build-node.log" >&2
      exit 1
    }
  rm -rf "$ctx"
}

# kafka_libs -> prints a folder holding the broker's runtime jars.
kafka_libs() {
  # Prefer the jars scripts/kafka/ caches for the native test broker, when complete.
  local shared="${KAFKA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cryptostream/kafka}/$KAFKA_VERSION/libs"
  if [ -e "$shared/.complete" ] && ls "$shared"/kafka_2.13-"$KAFKA_VERSION".jar "$shared"/slf4j-reload4j-*.jar >/dev/null 2>&1; then
    printf '%s' "$shared"
    return
  fi
  local own="$CACHE/kafka-$KAFKA_VERSION/libs"
  if ! ls "$own"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null 2>&1; then
    log "kafka jars: mvn dependency:copy-dependencies (kafka_2.13:$KAFKA_VERSION)"
    rm -rf "$own"
    (cd "$HERE/standin-kafka" && mvn -q -B dependency:copy-dependencies -Dkafka.version="$KAFKA_VERSION" \
      -DincludeScope=runtime -DoutputDirectory="$own") >"$CACHE/mvn-kafka.log" 2>&1 ||
      {
        tail -n 30 "$CACHE/mvn-kafka.log" >&2
        exit 1
      }
  fi
  printf '%s' "$own"
}

build_kafka() {
  local tar ctx key libs f
  tar=$(rootfs_tar jre17 "$JRE_PKGS")
  # Keyed by the Kafka version, not the jar files, so a cached image needs no Maven run.
  key=$(hash_of "$(basename "$tar")" "$KAFKA_VERSION" \
    "$(cd "$HERE/standin-kafka" && sha Dockerfile kafka-run.sh kafka-broker-api-versions.sh log4j.properties tools-log4j.properties pom.xml)")
  if [ "$(image_label "$KAFKA_TAG")" = "$key" ]; then
    log "image $KAFKA_TAG: cached"
    return
  fi
  import_rootfs "$tar" "$JRE_PKGS" cryptostream/rootfs-jre17:$SUITE
  libs=$(kafka_libs)
  ctx="$CACHE/ctx-kafka"
  rm -rf "$ctx" && mkdir -p "$ctx/libs"
  cp "$libs"/*.jar "$ctx/libs/"
  for f in Dockerfile kafka-run.sh kafka-broker-api-versions.sh log4j.properties tools-log4j.properties; do
    cp "$HERE/standin-kafka/$f" "$ctx/$f"
  done
  log "image $KAFKA_TAG: building ($(ls "$ctx/libs" | wc -l) jars from $libs)"
  docker build -q --build-arg ROOTFS_IMAGE=cryptostream/rootfs-jre17:$SUITE \
    --label "$LABEL=$key" -t "$KAFKA_TAG" "$ctx" >/dev/null 2>"$CACHE/build-kafka.log" ||
    {
      cat "$CACHE/build-kafka.log" >&2
      exit 1
    }
  rm -rf "$ctx"
}

targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(node kafka)
for t in "${targets[@]}"; do
  case "$t" in
    node) timed "standin node" build_node ;;
    kafka) timed "standin kafka" build_kafka ;;
    *)
      log "unknown target: $t (node|kafka)"
      exit 2
      ;;
  esac
done
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E '^cryptostream/(standin|rootfs)' >&2 || true
