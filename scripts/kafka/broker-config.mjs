/**
 * Pure text builders for a single-node KRaft broker: server.properties and the
 * log4j configuration. No IO here, so the settings are easy to read in one place.
 */

/**
 * server.properties for one process acting as broker and controller, bound to
 * loopback only. Replication settings are 1 because there is one node; the
 * group rebalance delay is 0 so tests do not wait 3 s for every group join.
 */
export function serverProperties({ port, controllerPort, logDir }) {
  const lines = [
    "# Written by scripts/kafka/broker-lib.mjs for a local single-node KRaft broker.",
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=PLAINTEXT",
    `log.dirs=${logDir}`,
    "num.partitions=3",
    "default.replication.factor=1",
    "offsets.topic.replication.factor=1",
    "offsets.topic.num.partitions=3",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "min.insync.replicas=1",
    "group.initial.rebalance.delay.ms=0",
    "log.retention.hours=24",
    "log.segment.bytes=67108864",
    "",
  ];
  return lines.join("\n");
}

/** log4j 1 (reload4j) config: everything at INFO to stdout, which the launcher sends to a file. */
export function log4jProperties() {
  return [
    "log4j.rootLogger=INFO, stdout",
    "log4j.appender.stdout=org.apache.log4j.ConsoleAppender",
    "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout",
    "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n",
    // Per-request and state-change chatter is useless for a local broker.
    "log4j.logger.kafka.request.logger=WARN",
    "log4j.logger.state.change.logger=WARN",
    "log4j.logger.org.apache.kafka.clients=WARN",
    "",
  ].join("\n");
}

/**
 * A random Kafka cluster id: 16 random bytes as unpadded URL-safe base64 (22
 * characters), as Kafka's Uuid prints it. Like Kafka's own generator, skip ids
 * starting with "-", which a command line would read as an option.
 */
export function randomClusterId(randomBytes) {
  for (;;) {
    const id = Buffer.from(randomBytes(16)).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}
