#!/usr/bin/env bash
# Stop what infra/local/up.sh started (idempotent; exits 0 when nothing runs).
#   infra/local/down.sh           stop Kafka, Apicurio, Redis, Prometheus (only our own pids)
#   infra/local/down.sh --purge   ... and delete the data dir ($FLEET_DATA_DIR, default .local/)
# Services on our ports that up.sh did not start (CI, system services) are left alone.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

PURGE=0
for arg in "$@"; do
  case "$arg" in
    --purge) PURGE=1 ;;
    -h|--help) sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (usage: down.sh [--purge])" ;;
  esac
done

if [[ -d "$RUN_DIR" ]]; then
  exec 9>"$RUN_DIR/up.lock"
  flock -w 120 9 || warn "an up.sh still holds $RUN_DIR/up.lock after 120s - stopping anyway"
  # Registry/Prometheus/Redis first, Kafka last (its controlled shutdown takes longest).
  stop_component registry 20
  stop_component prometheus 20
  stop_component redis 15
  stop_component kafka 60
else
  log "nothing to stop (no $RUN_DIR)"
fi

for p in "$KAFKA_PORT" "$SR_PORT" "$REDIS_PORT" "$PROM_PORT"; do
  if port_open "$p"; then
    log "note: $BIND_HOST:$p is still answered by a process not started by up.sh - left alone"
  fi
done

if (( PURGE )); then
  case "$FLEET_DATA_DIR" in
    ""|/|"$HOME"|"$FLEET_REPO_ROOT") die "refusing to purge FLEET_DATA_DIR=$FLEET_DATA_DIR" ;;
  esac
  if [[ -d "$FLEET_DATA_DIR" ]]; then
    rm -rf -- "$FLEET_DATA_DIR"
    log "purged $FLEET_DATA_DIR"
  fi
fi
rm -f "$FLEET_DATA_DIR/stack.env" 2>/dev/null || true
log "down."
