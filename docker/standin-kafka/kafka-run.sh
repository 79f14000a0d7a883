#!/bin/bash
# Entrypoint of the stand-in Kafka image: behaves like the official apache/kafka image's
# /etc/kafka/docker/run for the settings our compose file uses.
#  - Every KAFKA_<NAME> variable becomes a server.properties key: the prefix is dropped, the
#    rest lower-cased, "___" -> "_", "__" -> "-", "_" -> "." (the official convention).
#  - Variables that tune the JVM or logging (not broker settings) are skipped.
#  - With no KAFKA_* settings at all, a single-node KRaft default is used.
#  - CLUSTER_ID names the cluster when the storage directory is formatted.
# Then it formats the storage (keeping an already formatted one) and execs the broker, so
# the JVM is PID 1 and receives SIGTERM for a controlled shutdown.
set -euo pipefail

KAFKA_HOME=/opt/kafka
CONF_DIR="$KAFKA_HOME/config/generated"
PROPS="$CONF_DIR/server.properties"
CLASSPATH="$KAFKA_HOME/libs/*"
CLUSTER_ID="${CLUSTER_ID:-Y3J5cHRvc3RyZWFtLWtmaw}"

# Not broker settings: consumed by the start scripts of the official image.
is_reserved() {
  case "$1" in
    KAFKA_VERSION | KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_JVM_PERFORMANCE_OPTS | KAFKA_GC_LOG_OPTS | \
      KAFKA_LOG4J_OPTS | KAFKA_LOG4J_ROOT_LOGLEVEL | KAFKA_LOG4J_LOGGERS | KAFKA_TOOLS_LOG4J_LOGLEVEL | \
      KAFKA_JMX_OPTS | KAFKA_JMX_HOSTNAME | KAFKA_JMX_PORT | KAFKA_HOME)
      return 0 ;;
  esac
  return 1
}

env_to_key() {
  local k="${1#KAFKA_}"
  k="${k,,}"
  k="${k//___/$'\x01'}"
  k="${k//__/-}"
  k="${k//_/.}"
  printf '%s' "${k//$'\x01'/_}"
}

mkdir -p "$CONF_DIR"
: >"$PROPS"
count=0
while IFS='=' read -r name _; do
  [[ "$name" == KAFKA_* ]] || continue
  is_reserved "$name" && continue
  printf '%s=%s\n' "$(env_to_key "$name")" "${!name}" >>"$PROPS"
  count=$((count + 1))
done < <(env)

if [ "$count" -eq 0 ]; then
  cat >"$PROPS" <<'EOF'
node.id=1
process.roles=broker,controller
listeners=PLAINTEXT://:9092,CONTROLLER://:9093
advertised.listeners=PLAINTEXT://localhost:9092
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
controller.quorum.voters=1@localhost:9093
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
log.dirs=/var/lib/kafka/data
EOF
fi
# Without log.dirs Kafka would use /tmp/kafka-logs; keep data where the image expects it.
grep -q '^log\.dirs=' "$PROPS" || echo 'log.dirs=/var/lib/kafka/data' >>"$PROPS"

echo "[standin-kafka] server.properties:" >&2
sed 's/^/[standin-kafka]   /' "$PROPS" >&2

LOG4J="-Dlog4j.configuration=file:$KAFKA_HOME/config/log4j.properties"
# shellcheck disable=SC2086 # the *_OPTS variables are word lists by design
java ${KAFKA_HEAP_OPTS:--Xmx512m -Xms128m} -cp "$CLASSPATH" \
  -Dlog4j.configuration=file:$KAFKA_HOME/config/tools-log4j.properties \
  kafka.tools.StorageTool format --ignore-formatted -t "$CLUSTER_ID" -c "$PROPS" >&2

# shellcheck disable=SC2086
exec java ${KAFKA_HEAP_OPTS:--Xmx512m -Xms128m} ${KAFKA_JVM_PERFORMANCE_OPTS:-} ${KAFKA_OPTS:-} \
  "$LOG4J" -cp "$CLASSPATH" kafka.Kafka "$PROPS"
