#!/usr/bin/env bash
# Makes a working Docker engine + docker-compose available on this machine.
# Installs Debian's docker.io, docker-compose (v1.29) and debootstrap when missing,
# then starts dockerd in the background (logging to a file) and waits for it.
# Idempotent: does nothing when the engine already answers.
#
# Env: DOCKERD_LOG (default /var/log/cryptostream-dockerd.log), DOCKER_WAIT_SECONDS (default 60).
set -euo pipefail

log() { printf '[ensure-docker] %s\n' "$*" >&2; }

DOCKERD_LOG="${DOCKERD_LOG:-/var/log/cryptostream-dockerd.log}"
DOCKER_WAIT_SECONDS="${DOCKER_WAIT_SECONDS:-60}"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || need_pkgs+=(docker-compose)
command -v debootstrap >/dev/null 2>&1 || need_pkgs+=(debootstrap)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  log "installing ${need_pkgs[*]} with apt"
  # A stale or empty package list makes apt-get install fail; refresh once.
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${need_pkgs[@]}" >/dev/null
fi

engine_up() { docker info >/dev/null 2>&1; }

if engine_up; then
  log "engine already running"
  exit 0
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  # containerd is started by dockerd itself when not running as a system service.
  log "starting dockerd (log: $DOCKERD_LOG)"
  as_root mkdir -p "$(dirname "$DOCKERD_LOG")"
  as_root setsid sh -c "nohup dockerd --storage-driver=overlay2 >>'$DOCKERD_LOG' 2>&1 &"
fi

deadline=$((SECONDS + DOCKER_WAIT_SECONDS))
until engine_up; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "dockerd did not answer within ${DOCKER_WAIT_SECONDS}s; last log lines:"
    tail -n 30 "$DOCKERD_LOG" >&2 || true
    exit 1
  fi
  sleep 1
done
log "engine ready ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
