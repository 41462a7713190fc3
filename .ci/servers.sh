#!/usr/bin/env bash
# Two real SPARQL 1.1 servers on loopback for the remote-store tests: Oxigraph's server (PyPI package
# `oxigraph`, installed into .venv) and OpenLink Virtuoso 7 (Debian's virtuoso-opensource-7-bin, our own
# instance, never the system service).
#
#   .ci/servers.sh start DIR [oxigraph] [virtuoso]   install what is missing, start (default: both), wait
#                                                   until each answers SPARQL, write DIR/env
#   .ci/servers.sh stop DIR                          stop what DIR's pid files name; safe to repeat
#
# Everything (data, config, logs, pids) lives under DIR; each start begins with empty stores. Ports are free
# loopback ports chosen at start.
# After a successful start, `. DIR/env` exports (only for the servers started):
#   LITHKG_TEST_OXIGRAPH_URL / _QUERY / _UPDATE / _STORE    http://127.0.0.1:P{,/query,/update,/store}
#   LITHKG_TEST_VIRTUOSO_URL / _QUERY / _UPDATE / _STORE    http://127.0.0.1:H{,/sparql,/sparql,/sparql-graph-crud}
#     (no authentication: the SPARQL user may update, 'nobody' may write graphs through the store route)
#   LITHKG_TEST_VIRTUOSO_AUTH_QUERY / _AUTH_UPDATE / _AUTH_STORE   /sparql-auth, /sparql-auth, /sparql-graph-crud-auth
#   LITHKG_TEST_VIRTUOSO_AUTH (digest), _USER (dba), _PASSWORD (random per start)  for the *_AUTH_* routes
#   LITHKG_TEST_VIRTUOSO_ISQL  127.0.0.1:S, the SQL port (isql-vt "$LITHKG_TEST_VIRTUOSO_ISQL" dba "$PASSWORD")
# Virtuoso's store route documents ?graph-uri=IRI (the standard ?graph=IRI is accepted too); ?default fails there.
#
# Knobs (environment): LITHKG_SERVERS_WAIT (seconds to wait for each server, default 60),
# LITHKG_SERVERS_OXIGRAPH_SPEC (pip requirement, default: the venv's pyoxigraph version, else `oxigraph`),
# LITHKG_SERVERS_OXIGRAPH_ARGS (extra `oxigraph serve` arguments, e.g. --union-default-graph).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
WAIT=${LITHKG_SERVERS_WAIT:-60}

log() { echo "servers: $*" >&2; }
die() { log "$*"; exit 1; }

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# The absolute form of DIR, created if needed.
abs_dir() {
  mkdir -p "$1"
  (cd "$1" && pwd)
}

venv_python() {
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    python3 -m venv "$VENV"
  fi
  echo "$VENV/bin/python"
}

# ---------------------------------------------------------------- installing
ensure_oxigraph() {
  local py spec out
  py=$(venv_python)
  if [ -x "$VENV/bin/oxigraph" ]; then
    return
  fi
  spec=${LITHKG_SERVERS_OXIGRAPH_SPEC:-}
  if [ -z "$spec" ]; then
    # Same version as the embedded store's pyoxigraph, so both sides run the same engine.
    spec=$("$py" -c 'import importlib.metadata as m; print("oxigraph==" + m.version("pyoxigraph"))' 2>/dev/null \
      || echo oxigraph)
  fi
  log "installing $spec into $VENV"
  if ! out=$("$py" -m pip install --quiet --disable-pip-version-check "$spec" 2>&1); then
    echo "$out" >&2
    die "pip install $spec failed"
  fi
  [ -x "$VENV/bin/oxigraph" ] || die "pip installed $spec but $VENV/bin/oxigraph is missing"
}

ensure_virtuoso() {
  if command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; then
    return
  fi
  [ "$(id -u)" -eq 0 ] || die "virtuoso-t is missing and installing it needs root: apt-get install virtuoso-opensource-7-bin"
  log "installing Debian's virtuoso-opensource-7-bin"
  local aptlog
  aptlog=$(mktemp)
  # Only the binaries: this package has no service, no maintainer scripts and no debconf questions
  # (the 'virtuoso-opensource-7' package would add the system instance; it is not used here).
  bash "$(dirname "${BASH_SOURCE[0]}")/wait-for-apt-lock" || die "the package manager is busy (see above)"
  if ! { apt-get update -qq -o DPkg::Lock::Timeout=600 \
         && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
              --no-install-recommends virtuoso-opensource-7-bin; } >"$aptlog" 2>&1; then
    cat "$aptlog" >&2
    rm -f "$aptlog"
    die "apt-get install virtuoso-opensource-7-bin failed"
  fi
  rm -f "$aptlog"
  command -v virtuoso-t >/dev/null 2>&1 || die "virtuoso-t still missing after apt-get install"
}

# ---------------------------------------------------------------- processes
# N distinct free TCP ports on 127.0.0.1 (the kernel's choice; a later bind race is retried by the caller).
free_ports() {
  "$(venv_python)" - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
EOF
}

# Is PID alive and running a command whose line contains WORD (guards against a reused pid)?
pid_is() {
  local pid=$1 word=$2
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$word"
}

# Is PID running (alive and not a zombie)? Used during start-up, before the child has exec'd its command.
pid_running() {
  local state
  [ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
  state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# A word of a server's command line that only that DIR's server has.
pid_word() {
  case "$1" in
    oxigraph) echo "$2/oxigraph/data" ;;
    virtuoso) echo "$2/virtuoso/virtuoso.ini" ;;
  esac
}

# Run a command detached (own session, no terminal, output to LOG) and record its pid in PIDFILE.
spawn() {
  local pidfile=$1 logfile=$2
  shift 2
  setsid "$@" </dev/null >"$logfile" 2>&1 &
  echo $! >"$pidfile"
}

# HTTP status of a SPARQL ASK sent by GET to URL (000 when nothing answers).
ask_status() {
  curl -s -o /dev/null -m 5 -w '%{http_code}' -G --data-urlencode 'query=ASK {}' \
    -H 'Accept: application/sparql-results+json' "$1" 2>/dev/null || true
}

stop_pidfile() {
  local pidfile=$1 word=$2 name=$3 pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if pid_is "$pid" "$word"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do   # 15 s, then SIGKILL
      pid_is "$pid" "$word" || break
      sleep 0.1
    done
    if pid_is "$pid" "$word"; then
      log "$name (pid $pid) ignored SIGTERM for 15 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do
        pid_is "$pid" "$word" || break
        sleep 0.1
      done
    fi
    log "stopped $name (pid $pid)"
  fi
  rm -f "$pidfile"
}

tail_log() {
  local f
  for f in "$@"; do
    [ -s "$f" ] || continue
    echo "----- last lines of $f -----" >&2
    tail -n 30 "$f" >&2
  done
}

# ---------------------------------------------------------------- Oxigraph
# Sets OX_PORT. Returns 1 when the server died early (e.g. a port race), 2 when it never answered.
start_oxigraph_once() {
  local dir=$1
  OX_PORT=$(free_ports 1)
  rm -rf "$dir/oxigraph"
  mkdir -p "$dir/oxigraph/data"
  # shellcheck disable=SC2086  # LITHKG_SERVERS_OXIGRAPH_ARGS is a word list on purpose
  spawn "$dir/oxigraph.pid" "$dir/oxigraph/server.log" \
    "$VENV/bin/oxigraph" serve --location "$dir/oxigraph/data" --bind "127.0.0.1:$OX_PORT" \
    ${LITHKG_SERVERS_OXIGRAPH_ARGS:-}
  wait_until_answering "$dir/oxigraph.pid" "http://127.0.0.1:$OX_PORT/query"
}

# 0 once the server in PIDFILE answers a SPARQL query at URL; 1 if it died; 2 after $WAIT seconds.
wait_until_answering() {
  local pidfile=$1 url=$2 deadline code
  deadline=$((SECONDS + WAIT))
  while [ "$SECONDS" -lt "$deadline" ]; do
    pid_running "$(cat "$pidfile")" || return 1
    code=$(ask_status "$url")
    [ "$code" = 200 ] && return 0
    sleep 0.2
  done
  return 2
}

# ---------------------------------------------------------------- Virtuoso
write_virtuoso_ini() {
  local vdir=$1 sql_port=$2 http_port=$3
  cat >"$vdir/virtuoso.ini" <<EOF
; Test instance for lithkg's CI: loopback only, all files under $vdir, small memory.
[Database]
DatabaseFile       = $vdir/virtuoso.db
ErrorLogFile       = $vdir/virtuoso.log
LockFile           = $vdir/virtuoso.lck
TransactionFile    = $vdir/virtuoso.trx
xa_persistent_file = $vdir/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $vdir/virtuoso-temp.db
TransactionFile    = $vdir/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:$sql_port
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
O_DIRECT             = 0
CaseMode             = 2
MaxStaticCursorRows  = 5000
AllowOSCalls         = 0
SchedulerInterval    = 10
DirsAllowed          = $vdir
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
SingleCPU            = 0
; ~80 MB of buffers (8 KB pages) is plenty for test data; 2 threads per query on a 2-core machine.
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
MaxQueryMem          = 256M
ThreadsPerQuery      = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort           = 127.0.0.1:$http_port
ServerRoot           = $vdir/www
MaxClientConnections = 10
ServerThreads        = 10
EnabledDavVSP        = 0
HTTPProxyEnabled     = 0
MaxKeepAlives        = 10
KeepAliveTimeout     = 10
Charset              = UTF-8
EnabledGzipContent   = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[URIQA]
DynamicLocal = 0
DefaultHost  = 127.0.0.1:$http_port

[SPARQL]
; Virtuoso cuts SELECT results at this many rows without an error: keep it well above test sizes.
ResultSetMaxRows           = 1000000
; 0: no limit. A limit makes Virtuoso return partial ("anytime") results instead of an error.
MaxQueryExecutionTime      = 0
MaxQueryCostEstimationTime = 0
EOF
  mkdir -p "$vdir/www"
}

# Sets VT_SQL_PORT and VT_HTTP_PORT. Returns 1 when the server died early, 2 when it never answered.
start_virtuoso_once() {
  local dir=$1 vdir=$1/virtuoso ports
  ports=$(free_ports 2)
  VT_SQL_PORT=${ports% *}
  VT_HTTP_PORT=${ports#* }
  rm -rf "$vdir"
  mkdir -p "$vdir"
  write_virtuoso_ini "$vdir" "$VT_SQL_PORT" "$VT_HTTP_PORT"
  spawn "$dir/virtuoso.pid" "$vdir/stdout.log" \
    virtuoso-t +foreground +configfile "$vdir/virtuoso.ini"
  wait_until_answering "$dir/virtuoso.pid" "http://127.0.0.1:$VT_HTTP_PORT/sparql"
}

# Permissions for the unauthenticated routes and a fresh dba password.
configure_virtuoso() {
  local dir=$1 out code
  VT_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  # isql-vt exits 0 even when a statement fails, so its output is checked for errors.
  out=$(isql-vt "127.0.0.1:$VT_SQL_PORT" dba dba 2>&1 <<EOF
GRANT SPARQL_UPDATE TO "SPARQL";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);
USER_SET_PASSWORD ('dba', '$VT_PASSWORD');
EOF
  ) || true
  echo "$out" >"$dir/virtuoso/isql-setup.log"
  if ! grep -q 'Connected to OpenLink Virtuoso' <<<"$out" || grep -q '\*\*\* Error' <<<"$out"; then
    echo "$out" >&2
    return 1
  fi
  # An update over the unauthenticated route proves the grant (a leftover-free insert and drop).
  code=$(curl -s -o "$dir/virtuoso/update-check.out" -m 10 -w '%{http_code}' \
    --data-urlencode 'update=INSERT DATA { GRAPH <urn:lithkg:ci:ready> { <urn:lithkg:s> <urn:lithkg:p> 1 } } ; DROP SILENT GRAPH <urn:lithkg:ci:ready>' \
    "http://127.0.0.1:$VT_HTTP_PORT/sparql" || true)
  if [ "$code" != 200 ]; then
    log "an update on /sparql answered $code:"
    cat "$dir/virtuoso/update-check.out" >&2 || true
    return 1
  fi
}

# ---------------------------------------------------------------- commands
# start_with_retries NAME DIR: up to 3 tries (a free port taken between the pick and the bind).
start_with_retries() {
  local name=$1 dir=$2 try rc
  for try in 1 2 3; do
    rc=0
    "start_${name}_once" "$dir" || rc=$?
    [ "$rc" -eq 0 ] && return 0
    if [ "$rc" -eq 1 ]; then
      log "$name exited during start-up (try $try)"
      stop_pidfile "$dir/$name.pid" "$(pid_word "$name" "$dir")" "$name"
      continue
    fi
    log "$name did not answer a SPARQL query within ${WAIT}s"
    return 1
  done
  return 1
}

cmd_start() {
  local dir want_ox=0 want_vt=0 arg t0 failed=0
  dir=$(abs_dir "$1")
  shift
  [ "$#" -gt 0 ] || set -- oxigraph virtuoso
  for arg in "$@"; do
    case "$arg" in
      oxigraph) want_ox=1 ;;
      virtuoso) want_vt=1 ;;
      *) die "unknown server '$arg' (oxigraph, virtuoso)" ;;
    esac
  done
  for arg in oxigraph virtuoso; do
    if [ -f "$dir/$arg.pid" ] && pid_is "$(cat "$dir/$arg.pid")" "$(pid_word "$arg" "$dir")"; then
      die "$arg is already running for $dir (run: $0 stop $dir)"
    fi
  done
  t0=$SECONDS
  rm -f "$dir/env"
  # Interrupted half-way: leave nothing running.
  trap 'trap - INT TERM; cmd_stop "$dir"; exit 130' INT TERM
  command -v curl >/dev/null 2>&1 || die "curl is needed (apt-get install curl)"
  [ "$want_ox" -eq 0 ] || ensure_oxigraph
  [ "$want_vt" -eq 0 ] || ensure_virtuoso

  # Start both at once; wait for each in its own background job.
  local ox_job="" vt_job=""
  if [ "$want_ox" -eq 1 ]; then
    ( start_with_retries oxigraph "$dir" && echo "OX_PORT=$OX_PORT" >"$dir/.oxigraph.ports" ) &
    ox_job=$!
  fi
  if [ "$want_vt" -eq 1 ]; then
    ( start_with_retries virtuoso "$dir" \
      && echo "VT_SQL_PORT=$VT_SQL_PORT VT_HTTP_PORT=$VT_HTTP_PORT" >"$dir/.virtuoso.ports" \
      && configure_virtuoso "$dir" && echo "VT_PASSWORD=$VT_PASSWORD" >>"$dir/.virtuoso.ports" ) &
    vt_job=$!
  fi
  if [ -n "$ox_job" ] && ! wait "$ox_job"; then
    log "oxigraph failed to start"
    tail_log "$dir/oxigraph/server.log"
    failed=1
  fi
  if [ -n "$vt_job" ] && ! wait "$vt_job"; then
    log "virtuoso failed to start"
    tail_log "$dir/virtuoso/stdout.log"
    failed=1
  fi
  if [ "$failed" -ne 0 ]; then
    cmd_stop "$dir"
    die "start failed; logs are under $dir"
  fi

  local env_tmp="$dir/env.tmp" OX_PORT VT_SQL_PORT VT_HTTP_PORT VT_PASSWORD
  : >"$env_tmp"
  if [ "$want_ox" -eq 1 ]; then
    eval "$(cat "$dir/.oxigraph.ports")"
    local ox="http://127.0.0.1:$OX_PORT"
    cat >>"$env_tmp" <<EOF
export LITHKG_TEST_OXIGRAPH_URL=$ox
export LITHKG_TEST_OXIGRAPH_QUERY=$ox/query
export LITHKG_TEST_OXIGRAPH_UPDATE=$ox/update
export LITHKG_TEST_OXIGRAPH_STORE=$ox/store
EOF
  fi
  if [ "$want_vt" -eq 1 ]; then
    eval "$(tr ' ' '\n' <"$dir/.virtuoso.ports")"
    local vt="http://127.0.0.1:$VT_HTTP_PORT"
    cat >>"$env_tmp" <<EOF
export LITHKG_TEST_VIRTUOSO_URL=$vt
export LITHKG_TEST_VIRTUOSO_QUERY=$vt/sparql
export LITHKG_TEST_VIRTUOSO_UPDATE=$vt/sparql
export LITHKG_TEST_VIRTUOSO_STORE=$vt/sparql-graph-crud
export LITHKG_TEST_VIRTUOSO_AUTH_QUERY=$vt/sparql-auth
export LITHKG_TEST_VIRTUOSO_AUTH_UPDATE=$vt/sparql-auth
export LITHKG_TEST_VIRTUOSO_AUTH_STORE=$vt/sparql-graph-crud-auth
export LITHKG_TEST_VIRTUOSO_AUTH=digest
export LITHKG_TEST_VIRTUOSO_USER=dba
export LITHKG_TEST_VIRTUOSO_PASSWORD=$VT_PASSWORD
export LITHKG_TEST_VIRTUOSO_ISQL=127.0.0.1:$VT_SQL_PORT
EOF
  fi
  rm -f "$dir/.oxigraph.ports" "$dir/.virtuoso.ports"
  chmod 600 "$env_tmp"
  mv "$env_tmp" "$dir/env"
  log "started $* in $((SECONDS - t0))s; environment in $dir/env"
}

cmd_stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd)
  stop_pidfile "$dir/oxigraph.pid" "$(pid_word oxigraph "$dir")" oxigraph
  stop_pidfile "$dir/virtuoso.pid" "$(pid_word virtuoso "$dir")" virtuoso
  rm -f "$dir/.oxigraph.ports" "$dir/.virtuoso.ports" "$dir/env.tmp" "$dir/env"
}

[ "$#" -ge 2 ] || usage
case "$1" in
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop "$2" ;;
  *) usage ;;
esac
