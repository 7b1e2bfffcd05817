#!/usr/bin/env bash
# Run a Kafka (tool) main class with the locally cached Kafka classpath.
#   infra/local/kafka-run-class.sh <MainClass> [args...]
# Examples:
#   infra/local/kafka-run-class.sh org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 --list
#   infra/local/kafka-run-class.sh org.apache.kafka.tools.BrokerApiVersionsCommand --bootstrap-server 127.0.0.1:9092
# Fetches the classpath from Maven Central on first use (same cache as up.sh).
# Env: KAFKA_TOOLS_HEAP_OPTS (default "-Xms32m -Xmx512m ..."), FLEET_CACHE_DIR.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

if [[ $# -lt 1 || "$1" == -h || "$1" == --help ]]; then
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
fi
ensure_kafka_dist
kafka_java "$@"
