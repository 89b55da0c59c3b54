#!/usr/bin/env bash
# Local infrastructure for development and tests, without Docker:
#   Apache Kafka 4.0.1 (KRaft, one combined broker + controller), jars from Maven Central;
#   FerretDB v1.24.2 (MongoDB wire protocol) on SQLite, or on PostgreSQL if FERRETDB_POSTGRESQL_URL is set.
#
# Usage: scripts/infra.sh install|start|stop|status|env|reset
#   install  fetch the Kafka jars and build FerretDB if missing (cached per machine)
#   start    install if needed, start whatever is not running, wait until both accept connections
#   stop     SIGTERM, then SIGKILL after INFRA_STOP_TIMEOUT seconds (30)
#   status   one line per server; exit 1 unless both run
#   env      export lines for eval "$(scripts/infra.sh env)"
#   reset    stop and delete all data and logs
# Cache: ${SCP_CACHE_DIR:-~/.cache/scp}. Data, logs, pid files: <repo>/.local/{kafka,ferretdb}.
# Ports: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), FERRETDB_PORT (27017), all on 127.0.0.1.
# If KAFKA_BOOTSTRAP_SERVERS and MONGODB_URL are both set (and not to this script's own servers),
# start starts nothing and env echoes them.
set -euo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
DEPLOY=$ROOT/deploy/local
KDIR=$ROOT/.local/kafka
FDIR=$ROOT/.local/ferretdb
CACHE=${SCP_CACHE_DIR:-$HOME/.cache/scp}
KAFKA_VERSION=4.0.1
FERRETDB_VERSION=v1.24.2
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
FERRETDB_PORT=${FERRETDB_PORT:-27017}
START_TIMEOUT=${INFRA_START_TIMEOUT:-120}
STOP_TIMEOUT=${INFRA_STOP_TIMEOUT:-30}
# the jar set follows the pom: an edited pom gets a fresh cache folder
KAFKA_HOME=$CACHE/kafka-$KAFKA_VERSION-$(sha256sum "$DEPLOY/pom.xml" | cut -c1-12)
LIBS=$KAFKA_HOME/libs
FERRETDB_BIN=$CACHE/bin/ferretdb-$FERRETDB_VERSION
LOCAL_KAFKA=127.0.0.1:$KAFKA_PORT
LOCAL_MONGO="mongodb://127.0.0.1:$FERRETDB_PORT/?directConnection=true"
TMP=  # install folder in progress, removed if we stop half-way
trap 'if [[ -n $TMP ]]; then rm -rf "$TMP"; fi' EXIT

log() { echo "infra: $*" >&2; }
die() { log "$*"; exit 1; }
need() { command -v "$1" >/dev/null || die "$1 not found: $2"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
external() {  # both URLs set, to other servers than ours (eval "$(infra.sh env)" sets ours)
  [[ -n ${KAFKA_BOOTSTRAP_SERVERS:-} && -n ${MONGODB_URL:-} ]] \
    && [[ $KAFKA_BOOTSTRAP_SERVERS != "$LOCAL_KAFKA" || $MONGODB_URL != "$LOCAL_MONGO" ]]
}

install_kafka() {
  [[ -d $LIBS ]] && return 0
  need mvn "Maven 3.8+ is needed to fetch Kafka"
  log "fetching Kafka $KAFKA_VERSION jars into $KAFKA_HOME"
  mkdir -p "$CACHE"; TMP=$(mktemp -d "$CACHE/.kafka.XXXXXX"); chmod 755 "$TMP"
  mvn -q -B -Dstyle.color=never -f "$DEPLOY/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$TMP/libs" >"$TMP/mvn.log" 2>&1 \
    || { cat "$TMP/mvn.log" >&2; die "Maven could not fetch the Kafka jars"; }
  rm "$TMP/mvn.log"
  if mv -T "$TMP" "$KAFKA_HOME" 2>/dev/null; then TMP=; fi  # else a parallel install won: drop ours
}

install_ferretdb() {
  [[ -x $FERRETDB_BIN ]] && return 0
  need go "Go 1.24+ is needed to build FerretDB"
  log "building FerretDB $FERRETDB_VERSION into $FERRETDB_BIN (about a minute on a cold Go build cache)"
  mkdir -p "$CACHE/bin"; TMP=$(mktemp -d "$CACHE/.ferretdb.XXXXXX")
  # `go install .../cmd/ferretdb@v1.24.2` builds a binary that panics at start: the module lacks the
  # generated build/version/version.txt. So build a copy of the module source with that file added.
  local src
  src=$(cd "$TMP" && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') || die "could not download the FerretDB module"
  [[ -d $src ]] || die "could not download the FerretDB module"
  cp -R "$src" "$TMP/src"; chmod -R u+w "$TMP/src"
  echo "$FERRETDB_VERSION" >"$TMP/src/build/version/version.txt"
  (cd "$TMP/src" && CGO_ENABLED=0 go build -buildvcs=false -o "$TMP/ferretdb" ./cmd/ferretdb) >"$TMP/build.log" 2>&1 \
    || { cat "$TMP/build.log" >&2; die "building FerretDB failed"; }
  "$TMP/ferretdb" --version >/dev/null 2>&1 || die "the FerretDB build does not run"
  mv -f "$TMP/ferretdb" "$FERRETDB_BIN"
  rm -rf "$TMP"; TMP=
}

# A server runs if its pid file names a live process whose command line is ours (not a reused pid).
marker() { if [[ $1 == kafka ]]; then echo "$KDIR/server.properties"; else echo "--state-dir=$FDIR/state"; fi; }
dir_of() { if [[ $1 == kafka ]]; then echo "$KDIR"; else echo "$FDIR"; fi; }
alive() { grep -qaF -e "$(marker "$2")" "/proc/$1/cmdline" 2>/dev/null; }  # zombies have no cmdline
pid_of() {
  local file pid
  file=$(dir_of "$1")/$1.pid
  [[ -f $file ]] || return 1
  pid=$(<"$file")
  if [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" "$1"; then echo "$pid"; return 0; fi
  rm -f "$file"; return 1
}

start_kafka() {
  local pid id port
  if pid=$(pid_of kafka); then log "kafka already running (pid $pid)"; return 0; fi
  need java "Java 17+ is needed to run Kafka"
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$port"; then die "port $port is taken by another process (see KAFKA_PORT, KAFKA_CONTROLLER_PORT)"; fi
  done
  mkdir -p "$KDIR/data" "$KDIR/logs"
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
    -e "s|@LOG_DIRS@|$KDIR/data|g" "$DEPLOY/server.properties.template" >"$KDIR/server.properties"
  local jvm=(java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -XX:InitiatingHeapOccupancyPercent=35 -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$DEPLOY/log4j2.properties" "-Dkafka.logs.dir=$KDIR/logs" -cp "$LIBS/*")
  if [[ ! -f $KDIR/data/meta.properties ]]; then  # static controller.quorum.voters: no --standalone
    if ! id=$("${jvm[@]}" kafka.tools.StorageTool random-uuid 2>>"$KDIR/logs/format.log") \
      || ! "${jvm[@]}" kafka.tools.StorageTool format -t "$id" -c "$KDIR/server.properties" >>"$KDIR/logs/format.log" 2>&1; then
      die "formatting the Kafka storage failed: see $KDIR/logs/format.log"
    fi
  fi
  # readiness looks for the start-up line in what this run appends to server.log
  stat -c %s "$KDIR/logs/server.log" >"$KDIR/log.offset" 2>/dev/null || echo 0 >"$KDIR/log.offset"
  setsid nohup "${jvm[@]}" kafka.Kafka "$KDIR/server.properties" >"$KDIR/logs/stdout.log" 2>&1 </dev/null &
  echo $! >"$KDIR/kafka.pid"
}

start_ferretdb() {
  local pid backend
  if pid=$(pid_of ferretdb); then log "ferretdb already running (pid $pid)"; return 0; fi
  if port_open "$FERRETDB_PORT"; then die "port $FERRETDB_PORT is taken by another process (see FERRETDB_PORT)"; fi
  mkdir -p "$FDIR/data" "$FDIR/state" "$FDIR/logs"
  if [[ -n ${FERRETDB_POSTGRESQL_URL:-} ]]; then
    backend=(--handler=postgresql)  # ferretdb reads FERRETDB_POSTGRESQL_URL itself: no password in ps
  else
    backend=(--handler=sqlite "--sqlite-url=file:$FDIR/data/")
  fi
  setsid nohup "$FERRETDB_BIN" "${backend[@]}" "--listen-addr=127.0.0.1:$FERRETDB_PORT" \
    "--state-dir=$FDIR/state" --telemetry=disable --debug-addr=- \
    >>"$FDIR/logs/ferretdb.log" 2>&1 </dev/null &
  echo $! >"$FDIR/ferretdb.pid"
}

kafka_ready() {
  local offset; offset=$(cat "$KDIR/log.offset" 2>/dev/null || echo 0)
  port_open "$KAFKA_PORT" \
    && grep -qF "Kafka Server started" <(tail -c "+$((offset + 1))" "$KDIR/logs/server.log" 2>/dev/null)
}
ferretdb_ready() { port_open "$FERRETDB_PORT"; }

wait_ready() {  # name log-file
  local deadline=$((SECONDS + START_TIMEOUT))
  until "$1_ready"; do
    pid_of "$1" >/dev/null || die "$1 exited during start-up: see $2"
    ((SECONDS < deadline)) || die "$1 not ready after ${START_TIMEOUT}s: see $2"
    sleep 0.3
  done
}

start() {
  if external; then
    log "using KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP_SERVERS and MONGODB_URL=$MONGODB_URL: starting nothing"
    return 0
  fi
  install_kafka; install_ferretdb
  local t0=$SECONDS
  start_kafka; start_ferretdb
  wait_ready ferretdb "$FDIR/logs/ferretdb.log"
  wait_ready kafka "$KDIR/logs/server.log (and stdout.log)"
  log "ready in $((SECONDS - t0))s: kafka $LOCAL_KAFKA, ferretdb 127.0.0.1:$FERRETDB_PORT"
}

stop_one() {
  local pid deadline
  pid=$(pid_of "$1") || { log "$1 not running"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  # wait for the pid to vanish, not just its command line: a JVM's threads outlive its main thread
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if alive "$pid" "$1"; then
    log "$1 still running after ${STOP_TIMEOUT}s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  for _ in {1..25}; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  rm -f "$(dir_of "$1")/$1.pid"
  log "$1 stopped"
}

status() {
  local rc=0 pid
  if pid=$(pid_of kafka); then echo "kafka: running (pid $pid) on 127.0.0.1:$KAFKA_PORT"; else echo "kafka: stopped"; rc=1; fi
  if pid=$(pid_of ferretdb); then echo "ferretdb: running (pid $pid) on 127.0.0.1:$FERRETDB_PORT"; else echo "ferretdb: stopped"; rc=1; fi
  return $rc
}

quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
print_env() {
  local kafka=$LOCAL_KAFKA mongo=$LOCAL_MONGO
  if external; then kafka=$KAFKA_BOOTSTRAP_SERVERS mongo=$MONGODB_URL; fi
  echo "export KAFKA_BOOTSTRAP_SERVERS=$(quote "$kafka")"
  echo "export MONGODB_URL=$(quote "$mongo")"
}

case ${1:-} in
  install) install_kafka; install_ferretdb; log "installed in $CACHE" ;;
  start) start ;;
  stop) stop_one kafka; stop_one ferretdb ;;
  status) status ;;
  env) print_env ;;
  reset) stop_one kafka; stop_one ferretdb; rm -rf "$KDIR" "$FDIR"; log "deleted $KDIR and $FDIR" ;;
  *) echo "usage: $0 install|start|stop|status|env|reset" >&2; exit 2 ;;
esac
