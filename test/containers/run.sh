#!/usr/bin/env bash
# Container end-to-end test: the published Dockerfile and compose files, run for real on a
# local Docker engine with local stand-ins for the public base images.
#   1. ensure a Docker engine + docker-compose          (docker/ensure-docker.sh)
#   2. build the stand-in images                        (docker/build-standins.sh, cached)
#   3. validate every compose file, alone and with the offline override
#   4. build the service images through compose (NODE_IMAGE -> stand-in), check their content
#   5. for zmq, then kafka: up with the offline override, wait for healthy containers and
#      for rows in both HDF5 files (read with h5py), `docker stop` each container (exit code
#      0, quickly), read the files again, then `down -v`
# Prints "ok"/"not ok" per check, a timing table, and finally "N passed, N failed".
# Every wait is time-bound. Data goes to a private temp folder (KEEP=1 keeps it).
# Env: TRANSPORTS="zmq kafka" (subset to run), KEEP=1, SKIP_ENSURE=1,
#      COMPOSE_CMD="docker compose" to drive builds and runs with compose v2 instead of 1.29.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT" || exit 1

PY=/usr/bin/python3
read -r -a DC <<<"${COMPOSE_CMD:-docker-compose}"
TRANSPORTS="${TRANSPORTS:-zmq kafka}"
IMAGE_TAG=containers-test
STANDIN_NODE=cryptostream/standin-node:20
STANDIN_KAFKA=cryptostream/standin-kafka:3.9.2
APP_SERVICES="binance-simulator twitter-simulator jetstream-simulator binance-producer binance-processor twitter-producer bluesky-producer twitter-processor dashboard"
# Stop order for the graceful-stop check: intake first, then consumers, then sources.
STOP_ORDER="dashboard binance-producer twitter-producer bluesky-producer binance-processor twitter-processor binance-simulator twitter-simulator jetstream-simulator"

PASSED=0
FAILED=0
TIMINGS=()
WORK="$(mktemp -d /tmp/cryptostream-containers.XXXXXX)"
T_START=$SECONDS

say() { printf '%s\n' "$*"; }
pass() {
  PASSED=$((PASSED + 1))
  say "ok - $*"
}
fail() {
  FAILED=$((FAILED + 1))
  say "not ok - $*"
}
timing() { TIMINGS+=("$(printf '%-44s %5ss' "$1" "$2")"); }

# check NAME CMD...: one test; output of CMD goes to a log, shown on failure.
check() {
  local name=$1 t0=$SECONDS log
  shift
  log="$WORK/check-$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '_').log"
  if "$@" >"$log" 2>&1; then
    pass "$name ($((SECONDS - t0))s)"
  else
    fail "$name ($((SECONDS - t0))s)"
    tail -n 40 "$log" | sed 's/^/    # /'
  fi
  return 0
}

# wait_until SECONDS CMD...: polls CMD every 2 s until it succeeds or time runs out.
wait_until() {
  local limit=$1 deadline
  shift
  deadline=$((SECONDS + limit))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 2
  done
}

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

DASHBOARD_PORT=$(free_port)
# ---- the environment the compose files see (a private env file: a developer's .env is ignored)
ENV_FILE="$WORK/test.env"
write_env() { # write_env TRANSPORT
  cat >"$ENV_FILE" <<EOF
NODE_IMAGE=$STANDIN_NODE
KAFKA_IMAGE=$STANDIN_KAFKA
KAFKA_UI_IMAGE=cryptostream/no-ui-in-tests:none
IMAGE_PREFIX=cryptostream
IMAGE_TAG=$IMAGE_TAG
DATA_DIR=$WORK/data-$1
APP_UID=1000
APP_GID=1000
RESTART_POLICY=no
LOG_LEVEL=info
KAFKA_HOST_PORT=$(free_port)
DASHBOARD_HOST_PORT=$DASHBOARD_PORT
WINDOW_SECONDS=2
ALLOWED_LATENESS_SECONDS=1
TWITTER_POLL_SECONDS=1
SIM_BEARER_TOKEN=containers-test-token
EOF
}
# compose SECONDS TRANSPORT ARGS...: docker-compose on the transport's file plus the offline
# override, killed after SECONDS.
compose() {
  local limit=$1 t=$2
  shift 2
  timeout "$limit" "${DC[@]}" --env-file "$ENV_FILE" -p "cstest-$t" \
    -f "docker-compose.$t.yml" -f docker-compose.offline.yml "$@"
}

cleanup() {
  local t
  for t in $TRANSPORTS; do
    [ -f "$ENV_FILE" ] || write_env "$t"
    timeout 120 "${DC[@]}" --env-file "$ENV_FILE" -p "cstest-$t" -f "docker-compose.$t.yml" \
      -f docker-compose.offline.yml down -v --remove-orphans >/dev/null 2>&1 || true
  done
  if [ "${KEEP:-0}" = 1 ]; then
    say "# kept $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

# ---- 1. engine
t0=$SECONDS
if [ "${SKIP_ENSURE:-0}" = 1 ] || bash "$ROOT/docker/ensure-docker.sh" >"$WORK/ensure-docker.log" 2>&1; then
  pass "docker engine and docker-compose available ($((SECONDS - t0))s; driving with: ${DC[*]})"
else
  fail "docker engine and docker-compose available"
  sed 's/^/    # /' "$WORK/ensure-docker.log"
  say "$PASSED passed, $FAILED failed"
  exit 1
fi
timing "ensure docker" $((SECONDS - t0))

# ---- 2. stand-ins
t0=$SECONDS
if timeout 900 bash "$ROOT/docker/build-standins.sh" >"$WORK/standins.log" 2>&1; then
  pass "stand-in images built ($((SECONDS - t0))s)"
else
  fail "stand-in images built"
  tail -n 40 "$WORK/standins.log" | sed 's/^/    # /'
  say "$PASSED passed, $FAILED failed"
  exit 1
fi
timing "stand-in images" $((SECONDS - t0))
grep 'TIME' "$WORK/standins.log" | sed 's/^\[standins\] TIME /    # stand-ins: /'

# ---- 3. compose files
t0=$SECONDS
write_env zmq
for f in docker-compose.zmq.yml docker-compose.kafka.yml; do
  check "compose config: $f" docker-compose --env-file "$ENV_FILE" -f "$f" config -q
  check "compose config: $f + offline" docker-compose --env-file "$ENV_FILE" -f "$f" -f docker-compose.offline.yml config -q
done
# (compose 1.29's `config --services` ignores profiles; the kafka run checks that no UI starts.)
ui_only_with_profile() {
  docker-compose --env-file "$ENV_FILE" -f docker-compose.kafka.yml config |
    "$PY" -c 'import sys, yaml
svcs = yaml.safe_load(sys.stdin)["services"]
with_profiles = {n: s.get("profiles") for n, s in svcs.items() if s.get("profiles")}
print(with_profiles)
sys.exit(0 if with_profiles == {"kafka-ui": ["ui"]} else 1)'
}
check "kafka-ui only with --profile ui" ui_only_with_profile
# The published files must not carry the stand-ins' CA trick or a baked-in token.
check "Dockerfile trusts no local CA, bakes no token" bash -c \
  '! grep -nE "NODE_EXTRA_CA_CERTS|ca-certificates.crt|TWITTER_BEARER_TOKEN" Dockerfile'
if docker compose version >/dev/null 2>&1; then
  for f in docker-compose.zmq.yml docker-compose.kafka.yml; do
    check "compose v2 config: $f + offline" docker compose --env-file "$ENV_FILE" -f "$f" -f docker-compose.offline.yml config -q
  done
else
  say "# compose v2 checks skipped: \`docker compose\` (the v2 plugin) is not installed here"
fi
timing "compose validation" $((SECONDS - t0))

# ---- 4. images
t0=$SECONDS
if compose 1200 zmq build >"$WORK/build.log" 2>&1; then
  pass "service images built through compose ($((SECONDS - t0))s)"
else
  fail "service images built through compose ($((SECONDS - t0))s)"
  grep -vE '^ ---> |^Removing intermediate|^Step ' "$WORK/build.log" | tail -n 40 | sed 's/^/    # /'
fi
timing "service image builds (7)" $((SECONDS - t0))
image_has() { # image_has SERVICE SHELL-TEST
  docker run --rm --pull never --entrypoint sh "cryptostream/$1:$IMAGE_TAG" -c "$2"
}
for s in $APP_SERVICES; do
  size=$(docker image inspect -f '{{.Size}}' "cryptostream/$s:$IMAGE_TAG" 2>/dev/null || echo 0)
  say "# image size cryptostream/$s: $((size / 1000000)) MB"
  # danfojs (~390 MB) belongs to binance-processor only, natural to twitter-processor only.
  danfo='test ! -e node_modules/danfojs'
  natural='test ! -e node_modules/natural'
  [ "$s" = binance-processor ] && danfo='test -e node_modules/danfojs'
  [ "$s" = twitter-processor ] && natural='test -e node_modules/natural'
  check "image $s: runs as uid 1000, has its main, right heavy deps" image_has "$s" \
    "test \"\$(id -u)\" = 1000 && test -f services/$s/dist/main.js && $danfo && $natural"
  # Specs, fixtures, fakes (services/*/test, services/testkit) and bench code stay out of images.
  check "image $s: no test-only code" image_has "$s" \
    "test ! -e services/testkit && test ! -e services/$s/test && test -z \"\$(find services -name '*.test.*')\""
done

# ---- 5. the pipeline, per transport
containers_of() { compose 30 "$1" ps -q 2>/dev/null; }
all_healthy() { # all_healthy TRANSPORT: every container running and (if it has a check) healthy
  local ids id st n=0
  ids=$(containers_of "$1")
  [ -n "$ids" ] || return 1
  for id in $ids; do
    st=$(docker inspect -f '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$id") || return 1
    case "$st" in
      running/healthy | running/none) n=$((n + 1)) ;;
      *) return 1 ;;
    esac
  done
  [ "$n" -ge 7 ]
}
h5_rows() { # h5_rows FILE GLOB: FILE is the configured path, a single file or (once written so) the folder ${FILE%.h5}
  { [ -s "$1" ] || [ -d "${1%.h5}" ]; } && "$PY" "$HERE/check_h5.py" "$1" --match "$2" --quiet >/dev/null 2>&1
}
container_of() { compose 30 "$1" ps -q "$2" 2>/dev/null; }

run_transport() {
  local t=$1 data t0 s id stop_t0 took code wait_healthy=240 wait_rows=150
  write_env "$t"
  data="$WORK/data-$t"
  mkdir -p "$data" && chown 1000:1000 "$data"
  say "# --- $t + offline override"

  t0=$SECONDS
  if compose 300 "$t" up -d --no-build >"$WORK/up-$t.log" 2>&1; then
    pass "$t: compose up ($((SECONDS - t0))s)"
  else
    fail "$t: compose up ($((SECONDS - t0))s)"
    tail -n 30 "$WORK/up-$t.log" | sed 's/^/    # /'
    # Nothing to wait for: fail the rest quickly.
    wait_healthy=10 wait_rows=4
  fi
  if wait_until "$wait_healthy" all_healthy "$t"; then
    pass "$t: all containers healthy ($((SECONDS - t0))s after up)"
  else
    fail "$t: all containers healthy (gave up after $((SECONDS - t0))s)"
    compose 30 "$t" ps | sed 's/^/    # /'
  fi
  timing "$t: compose up to all healthy" $((SECONDS - t0))
  if [ "$t" = kafka ]; then
    check "kafka: no web UI without --profile ui" test -z \
      "$(docker ps -aq --filter "label=com.docker.compose.project=cstest-$t" --filter label=com.docker.compose.service=kafka-ui)"
  fi

  t0=$SECONDS
  if wait_until "$wait_rows" h5_rows "$data/binance.h5" '/*/*'; then
    pass "$t: binance.h5 has rows ($((SECONDS - t0))s)"
  else
    fail "$t: binance.h5 has rows (none after $((SECONDS - t0))s)"
  fi
  "$PY" "$HERE/check_h5.py" "$data/binance.h5" --match '/*/*' 2>&1 | sed 's/^/    # /'
  if wait_until "$wait_rows" h5_rows "$data/twitter.h5" '/tweets'; then
    pass "$t: twitter.h5 has rows ($((SECONDS - t0))s)"
  else
    fail "$t: twitter.h5 has rows (none after $((SECONDS - t0))s)"
  fi
  "$PY" "$HERE/check_h5.py" "$data/twitter.h5" --match '/tweets' 2>&1 | sed 's/^/    # /'
  # The dashboard reads both files (its event stream says so) and serves its page and chart library.
  check "$t: dashboard page and chart library served" bash -c \
    "curl -fsS http://127.0.0.1:$DASHBOARD_PORT/ | grep -q 'cryptostream dashboard' && curl -fsS -o /dev/null http://127.0.0.1:$DASHBOARD_PORT/vendor/lightweight-charts.js"
  check "$t: dashboard reads both files" bash -c \
    "curl -sN --max-time 3 http://127.0.0.1:$DASHBOARD_PORT/events | grep -m1 '^data: {\"dataDir' | grep -q '\"binance\":{[^}]*\"state\":\"ok\"[,}].*\"twitter\":{[^}]*\"state\":\"ok\"[,}]'"
  timing "$t: up to rows in both HDF5 files" $((SECONDS - t0))

  # Graceful shutdown: SIGTERM must end each service with exit code 0, well before the
  # SIGKILL that follows stop_grace_period.
  t0=$SECONDS
  for s in $STOP_ORDER; do
    id=$(container_of "$t" "$s")
    if [ -z "$id" ]; then
      fail "$t: docker stop $s (no container)"
      continue
    fi
    stop_t0=$(date +%s%N)
    timeout 30 docker stop -t 15 "$id" >/dev/null 2>&1
    took=$((($(date +%s%N) - stop_t0) / 1000000))
    code=$(docker inspect -f '{{.State.ExitCode}}' "$id" 2>/dev/null || echo '?')
    if [ "$code" = 0 ] && [ "$took" -lt 10000 ]; then
      pass "$t: docker stop $s -> exit 0 in ${took} ms"
    else
      fail "$t: docker stop $s -> exit $code in ${took} ms (want 0, < 10000 ms)"
      docker logs --tail 15 "$id" 2>&1 | sed 's/^/    # /'
    fi
  done
  if [ "$t" = kafka ]; then
    id=$(container_of "$t" kafka)
    stop_t0=$SECONDS
    timeout 60 docker stop -t 30 "$id" >/dev/null 2>&1
    say "# kafka broker stopped in $((SECONDS - stop_t0))s, exit code $(docker inspect -f '{{.State.ExitCode}}' "$id")"
  fi
  timing "$t: graceful stops" $((SECONDS - t0))
  # After the stop the files must still be whole and readable.
  check "$t: binance.h5 readable with rows after stop" h5_rows "$data/binance.h5" '/*/*'
  check "$t: twitter.h5 readable with rows after stop" h5_rows "$data/twitter.h5" '/tweets'

  compose 60 "$t" logs --no-color >"$WORK/logs-$t.txt" 2>&1
  t0=$SECONDS
  check "$t: compose down -v" compose 120 "$t" down -v --remove-orphans
  timing "$t: compose down -v" $((SECONDS - t0))
  say "# $t: $(grep -c '"level":"error"' "$WORK/logs-$t.txt") error log lines (logs: $WORK/logs-$t.txt)"
}

for t in $TRANSPORTS; do
  case "$t" in
    zmq | kafka) run_transport "$t" ;;
    *) fail "unknown transport $t" ;;
  esac
done

say "# timings:"
for line in "${TIMINGS[@]}"; do say "#   $line"; done
say "# total: $((SECONDS - T_START))s"
say "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
