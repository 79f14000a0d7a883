#!/bin/sh
# Same path and arguments as the official image's tool; used by the compose health check.
exec java -Xmx128m -XX:TieredStopAtLevel=1 -cp '/opt/kafka/libs/*' \
  -Dlog4j.configuration=file:/opt/kafka/config/tools-log4j.properties \
  kafka.admin.BrokerApiVersionsCommand "$@"
