#!/usr/bin/env bash
# The platform's own processes, run locally: the four services, the reporting projector, the notifier, and a
# local mail sink (aiosmtpd) that keeps every email the notifier sends as a file in .local/mail/new/.
#
# Usage: scripts/services.sh start|stop|status
#   start   start whatever is not running (a running one is reused), then wait until each /readyz says ready
#   stop    SIGTERM each, SIGKILL after 20 s
# Needs KAFKA_BOOTSTRAP_SERVERS and MONGODB_URL (eval "$(scripts/infra.sh env)").
# Logs and pid files: <repo>/.local/run/ (or SCP_RUN_DIR). Ports: REPORTING_PORT 8000, STRATEGY_PORT 8001,
# REVIEWS_PORT 8002, TRAINING_PORT 8003; the projector's metrics on PROJECTOR_METRICS_PORT 9100, the notifier's on
# NOTIFIER_METRICS_PORT 9101 (its database NOTIFIER_DATABASE, `notifier`); the mail sink on MAIL_SINK_PORT 8025,
# into SCP_MAIL_DIR (<repo>/.local/mail).
set -euo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
RUN=${SCP_RUN_DIR:-$ROOT/.local/run}
PY=$ROOT/.venv/bin/python
declare -A PORTS=([reporting]=${REPORTING_PORT:-8000} [strategy]=${STRATEGY_PORT:-8001}
                  [reviews]=${REVIEWS_PORT:-8002} [training]=${TRAINING_PORT:-8003})
NAMES=(mailsink reporting strategy reviews training projector notifier)
MAIL_DIR=${SCP_MAIL_DIR:-$ROOT/.local/mail}

log() { echo "services: $*" >&2; }
alive() { [[ -f $RUN/$1.pid ]] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

start_one() {
  local name=$1 module=services.$1 env=()
  if alive "$name"; then log "$name already running (pid $(cat "$RUN/$name.pid"))"; return; fi
  if [[ $name == projector ]]; then
    module=services.reporting.projector; env=(METRICS_PORT="${PROJECTOR_METRICS_PORT:-9100}")
  elif [[ $name == notifier ]]; then  # to the local sink, in the clear: nothing leaves the machine
    env=(METRICS_PORT="${NOTIFIER_METRICS_PORT:-9101}" SMTP_HOST=127.0.0.1 SMTP_PORT="${MAIL_SINK_PORT:-8025}"
         SMTP_SECURITY=none PUBLIC_URL="http://127.0.0.1:${PORTS[reporting]}" MONGODB_DATABASE="${NOTIFIER_DATABASE:-notifier}"
         REPORTING_URL="http://127.0.0.1:${PORTS[reporting]}" REPORTING_READ_KEY_FILE="$RUN/sample-readers.json")
  elif [[ $name == mailsink ]]; then
    mkdir -p "$MAIL_DIR"/{tmp,new,cur}  # a maildir (Python's mailbox makes these only for a new directory)
    setsid nohup "$PY" -m aiosmtpd -n -l "127.0.0.1:${MAIL_SINK_PORT:-8025}" -c aiosmtpd.handlers.Mailbox "$MAIL_DIR" \
      >>"$RUN/$name.log" 2>&1 </dev/null &
    echo $! >"$RUN/$name.pid"
    return
  else
    env=(PORT="${PORTS[$name]}")
  fi
  # a simple command in the background, so that $! is the service's own pid (env, setsid and nohup exec)
  env "${env[@]}" setsid nohup "$PY" -m "$module" >>"$RUN/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

wait_ready() {
  local name=$1 url=http://127.0.0.1:${PORTS[$1]}/readyz deadline=$((SECONDS + 60))
  until "$PY" -c "import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$url" 2>/dev/null; do
    alive "$name" || { log "$name exited: see $RUN/$name.log"; tail -20 "$RUN/$name.log" >&2; exit 1; }
    ((SECONDS < deadline)) || { log "$name not ready at $url after 60 s: see $RUN/$name.log"; exit 1; }
    sleep 0.5
  done
}

stop_all() {  # SIGTERM to all at once, then wait for each; SIGKILL what is still there after 20 s
  local name pids=() deadline=$((SECONDS + 20))
  for name in "${NAMES[@]}"; do
    if alive "$name"; then pids+=("$(cat "$RUN/$name.pid")"); kill -TERM "${pids[-1]}" 2>/dev/null || true; fi
    rm -f "$RUN/$name.pid"
  done
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then log "pid $pid did not stop in 20 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  done
}

cd "$ROOT"
case ${1:-} in
  start)
    : "${KAFKA_BOOTSTRAP_SERVERS:?set it, e.g. eval \"\$(scripts/infra.sh env)\"}" "${MONGODB_URL:?}"
    mkdir -p "$RUN"
    "$PY" -m shared.kafka.topics >&2
    for name in "${NAMES[@]}"; do start_one "$name"; done
    for name in reporting strategy reviews training; do wait_ready "$name"; done
    for name in projector notifier mailsink; do
      alive "$name" || { log "$name exited: see $RUN/$name.log"; exit 1; }
    done
    log "all running" ;;
  stop) stop_all ;;
  status)
    for name in "${NAMES[@]}"; do
      if alive "$name"; then echo "$name: running (pid $(cat "$RUN/$name.pid"))"; else echo "$name: stopped"; fi
    done ;;
  *) sed -n '2,9p' "$0" >&2; exit 2 ;;
esac
