#!/usr/bin/env bash
# Regenerates k8s/crds/ (the CRDs kubectl-validate checks custom resources against), from
# registry-reachable sources only. Run by hand when bumping a version; the files are committed.
#
#   Strimzi: Maven Central io.strimzi:api + io.strimzi:crd-generator (the api jar holds the
#     annotated model classes, not YAML); Strimzi's own CrdGenerator writes the CRDs exactly as
#     its build does, for API version kafka.strimzi.io/v1 only. Needs java >= 21 (FLEET_JAVA21,
#     or the Temurin 21 runtime infra/local/up.sh unpacks into the cache).
#   prometheus-operator: the Go module github.com/prometheus-operator/prometheus-operator
#     (go mod download), files example/prometheus-operator-crd/*_{servicemonitors,prometheusrules}.yaml.
set -euo pipefail
STRIMZI_VERSION=1.2.0
PROMETHEUS_OPERATOR_VERSION=v0.85.0

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$ROOT/k8s/crds"
CACHE_DIR="${FLEET_CACHE_DIR:-$HOME/.cache/fleet}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

JAVA="${FLEET_JAVA21:-}"
if [ -z "$JAVA" ]; then
  JAVA="$(find "$CACHE_DIR" -path '*java-runtime/bin/java' -type f 2>/dev/null | head -1)"
fi
[ -n "$JAVA" ] || { echo "vendor-crds: need java >= 21: set FLEET_JAVA21 or run infra/local/up.sh once" >&2; exit 1; }

cat >"$WORK/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>strimzi-crds</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>io.strimzi</groupId><artifactId>api</artifactId><version>$STRIMZI_VERSION</version>
      <exclusions><exclusion><groupId>io.strimzi</groupId><artifactId>test</artifactId></exclusion></exclusions></dependency>
    <dependency><groupId>io.strimzi</groupId><artifactId>crd-generator</artifactId><version>$STRIMZI_VERSION</version>
      <exclusions><exclusion><groupId>io.strimzi</groupId><artifactId>test</artifactId></exclusion></exclusions></dependency>
  </dependencies>
</project>
POM
(cd "$WORK" && mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.outputFile=cp.txt)
"$JAVA" -cp "$(cat "$WORK/cp.txt")" io.strimzi.crdgenerator.CrdGenerator \
  --label app:strimzi --label strimzi.io/crd-install:true --target-kube 1.25+ \
  --crd-api-version v1 --api-versions v1 --storage-version v1 --yaml \
  "io.strimzi.api.kafka.model.kafka.Kafka=$OUT/040-Crd-kafka.yaml" \
  "io.strimzi.api.kafka.model.nodepool.KafkaNodePool=$OUT/04A-Crd-kafkanodepool.yaml" \
  "io.strimzi.api.kafka.model.topic.KafkaTopic=$OUT/043-Crd-kafkatopic.yaml" \
  "io.strimzi.api.kafka.model.user.KafkaUser=$OUT/044-Crd-kafkauser.yaml"

(cd "$WORK" && go mod download -json "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" >mod.json)
DIR="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' "$WORK/mod.json")"
for crd in servicemonitors prometheusrules; do
  install -m 644 "$DIR/example/prometheus-operator-crd/monitoring.coreos.com_$crd.yaml" "$OUT/"
done
echo "vendor-crds: wrote $(ls "$OUT"/*.yaml | wc -l) CRDs to k8s/crds/"
