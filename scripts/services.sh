#!/usr/bin/env bash
# Real test services for shop-platform, run on loopback only:
#
#   PostgreSQL  (Debian packages, >= 15)            127.0.0.1:${SHOP_PG_PORT:-55432}
#   OpenSearch  (integ-test-zip from Maven Central)  127.0.0.1:${SHOP_OPENSEARCH_PORT:-59200}
#   moto server (PyPI moto[server])                  127.0.0.1:${SHOP_MOTO_PORT:-55000}
#
# and the Pulumi engine (the pulumi CLI and our Node.js language host, built from Go sources by
# scripts/pulumi-engine.sh into a per-user cache; no server).
#
# Usage: scripts/services.sh install|start|stop|restart|status|env|throttled-start|throttled-stop
#
#   install  install what is missing (apt: postgresql; Maven: the OpenSearch zip and the standard
#            modules it lacks; pip: moto[server]; Go: the Pulumi engine)
#   start    install if needed (the Pulumi engine too), then start whatever is not already up and
#            healthy, and wait for it
#   stop     stop the services this script started
#   restart  stop, then start
#   status   one line per service, and one for the Pulumi engine; exit status 3 when any service
#            is down (not for the engine: `scripts/pulumi-engine.sh status` tells)
#   env      print `export SHOP_TEST_*=...` lines with the connection URLs
#   throttled-start, throttled-stop
#            a second OpenSearch node on 127.0.0.1:${SHOP_OPENSEARCH_THROTTLED_PORT:-59201} with a
#            one-thread, one-slot write pool and 256 KB of indexing pressure (real 429s for the
#            reindex fault tests); stop deletes it
#
# Data, logs and pid files live in <repo>/.data/services/ (git-ignored). Progress goes to stderr;
# stdout carries only the output of `status` and `env`. Every command is idempotent.
#
# Environment overrides:
#   SHOP_PG_PORT, SHOP_OPENSEARCH_PORT, SHOP_OPENSEARCH_TRANSPORT_PORT, SHOP_MOTO_PORT
#   OPENSEARCH_VERSION (default pinned below), SHOP_OPENSEARCH_MODULES (standard modules added to
#   the integ-test-zip; "none" for the bare zip), MOTO_VERSION, SHOP_OPENSEARCH_HEAP (512m),
#   SHOP_OPENSEARCH_TIMEOUT (s), SHOP_SERVICES_DIR, SHOP_SERVICES_USER (unprivileged user used
#   for OpenSearch when running as root), SHOP_PYTHON (python3)
set -euo pipefail
# The servers run as other OS users (postgres, shopsvc) and must be able to enter our directories.
umask 022

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/.." && pwd -P)"

HOST=127.0.0.1
PG_PORT="${SHOP_PG_PORT:-55432}"
OS_PORT="${SHOP_OPENSEARCH_PORT:-59200}"
OS_TRANSPORT_PORT="${SHOP_OPENSEARCH_TRANSPORT_PORT:-59300}"
MOTO_PORT="${SHOP_MOTO_PORT:-55000}"

PG_MIN_MAJOR=15
PG_ROLE=shop
PG_DATABASE=shop
PG_TIMEOUT="${SHOP_PG_TIMEOUT:-60}"

# Newest 2.x on Maven Central that downloads (checked against maven-metadata.xml).
OPENSEARCH_VERSION="${OPENSEARCH_VERSION:-2.19.6}"
OPENSEARCH_GA="org.opensearch.distribution.integ-test-zip:opensearch"
# Last resort when no OpenSearch 2.x can be fetched: the Apache-2.0 Elasticsearch it forked from.
FALLBACK_ES_VERSION=7.10.2
FALLBACK_ES_GA="org.elasticsearch.distribution.integ-test-zip:elasticsearch"
MVN_DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
OS_HEAP="${SHOP_OPENSEARCH_HEAP:-512m}"
OS_TIMEOUT="${SHOP_OPENSEARCH_TIMEOUT:-120}"
OS_CLUSTER_NAME=shop-test
# The integ-test-zip ships only the transport-netty4 module. These standard modules of every full
# OpenSearch distribution (and of Amazon OpenSearch Service) are added back from their jars on
# Maven Central (group org.opensearch.plugin). SHOP_OPENSEARCH_MODULES=none keeps the bare zip.
OS_MODULES_DEFAULT="lang-painless analysis-common mapper-extras reindex parent-join percolator lang-mustache ingest-common aggs-matrix-stats rank-eval geo search-pipeline-common"
OS_MODULES="${SHOP_OPENSEARCH_MODULES-$OS_MODULES_DEFAULT}"
OS_MODULES="${OS_MODULES//,/ }"
if [[ $OS_MODULES == none ]]; then OS_MODULES=""; fi

MOTO_VERSION="${MOTO_VERSION:-5.2.1}"
MOTO_TIMEOUT="${SHOP_MOTO_TIMEOUT:-60}"
PYTHON="${SHOP_PYTHON:-python3}"

SVC_USER="${SHOP_SERVICES_USER:-shopsvc}"

# ---------------------------------------------------------------------------------------------
# helpers

log() { printf '[services] %s\n' "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}
is_root() { [[ $EUID -eq 0 ]]; }
have() { command -v "$1" >/dev/null 2>&1; }

# The data directory must be reachable by the unprivileged users the servers run as. When running
# as root inside a directory others cannot traverse (e.g. a checkout under /root, mode 700), fall
# back to a stable per-checkout directory under /var/tmp.
traversable_by_others() {
  local d=$1
  while [[ -n $d && $d != / ]]; do
    if [[ -e $d ]]; then
      local mode
      mode=$(stat -c %A -- "$d")
      [[ ${mode:9:1} == x || ${mode:9:1} == t ]] || return 1
    fi
    d=$(dirname -- "$d")
  done
  return 0
}
resolve_data_dir() {
  if [[ -n ${SHOP_SERVICES_DIR:-} ]]; then
    DATA_DIR=$SHOP_SERVICES_DIR
  elif is_root && ! traversable_by_others "$REPO_ROOT"; then
    DATA_DIR="/var/tmp/shop-services-$(printf '%s' "$REPO_ROOT" | cksum | cut -d' ' -f1)"
    DATA_DIR_NOTE="$REPO_ROOT is not traversable by unprivileged users; using $DATA_DIR instead of .data/services"
  else
    DATA_DIR="$REPO_ROOT/.data/services"
  fi
}
DATA_DIR_NOTE=""
resolve_data_dir

PG_DIR="$DATA_DIR/postgres"
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/postgres.log"
PG_INITDB_LOG="$PG_DIR/initdb.log"
PG_SOCK="$PG_DIR/run"
# A unix socket path may not exceed 107 bytes.
if ((${#PG_SOCK} + 20 > 107)); then PG_SOCK="/tmp/shop-pg-$(id -u)-$PG_PORT"; fi

OS_ROOT="$DATA_DIR/opensearch"
OS_PID="$OS_ROOT/opensearch.pid"
OS_LAUNCHER_PID="$OS_ROOT/launcher.pid"
OS_LOGS="$OS_ROOT/logs"
OS_CONSOLE_LOG="$OS_LOGS/console.log"
OS_TMP="$OS_ROOT/tmp"

MOTO_DIR="$DATA_DIR/moto"
MOTO_PID="$MOTO_DIR/moto.pid"
MOTO_LOG="$MOTO_DIR/moto.log"
MOTO_VENV="$MOTO_DIR/venv"

# GET url -> body on stdout; non-zero unless the answer is 2xx. Never goes through a proxy.
http_get() {
  local url=$1 max=${2:-5}
  if have curl; then
    curl -fsS --noproxy '*' --max-time "$max" "$url" 2>/dev/null
  else
    "$PYTHON" - "$url" "$max" 2>/dev/null <<'PY'
import sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
sys.stdout.write(opener.open(sys.argv[1], timeout=float(sys.argv[2])).read().decode())
PY
  fi
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

# Run a command as another OS user when we are root (servers refuse to run as root).
run_as() {
  local user=$1
  shift
  if is_root && [[ $user != root ]]; then
    (cd / && runuser -u "$user" -- "$@")
  else
    "$@"
  fi
}

ensure_reachable() {
  local user=$1 dir=$2
  is_root || return 0
  run_as "$user" test -w "$dir" -a -x "$dir" ||
    die "user '$user' cannot write $dir (is a parent directory not traversable?); set SHOP_SERVICES_DIR to a directory it can reach"
}

# Is $1 a live process whose command line contains $2?
pid_matches() {
  local pid=$1 pattern=$2
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern"
}
read_pid() { [[ -s $1 ]] && tr -dc '0-9' <"$1" || true; }

stop_pid() { # name pidfile pattern
  local name=$1 file=$2 pattern=$3 pid i
  pid=$(read_pid "$file")
  if [[ -z $pid ]] || ! pid_matches "$pid" "$pattern"; then
    rm -f "$file"
    return 1
  fi
  log "$name: stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 60; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name: still running after 30 s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

fail_service() { # name logfile...
  local name=$1 f
  shift
  log "FAILED: $name did not become healthy"
  for f in "$@"; do
    if [[ -s $f ]]; then
      log "---- last 40 lines of $f ----"
      tail -n 40 "$f" >&2
      log "---- end of $f ----"
    fi
  done
  exit 1
}

# wait_until <timeout-s> <check-fn> [<alive-fn>]: poll check-fn every second; give up early when
# alive-fn (the process we launched) fails.
wait_until() {
  local timeout=$1 check=$2 alive=${3:-} deadline
  deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    if "$check"; then return 0; fi
    if [[ -n $alive ]] && ! "$alive"; then
      sleep 1
      "$check" && return 0
      return 1
    fi
    sleep 1
  done
  "$check"
}

apt_install() { # packages...
  local -a sudo=()
  if ! is_root; then
    if ! { have sudo && sudo -n true 2>/dev/null; }; then
      die "installing '$*' needs root (apt-get); run as root or install it yourself"
    fi
    sudo=(sudo -n)
  fi
  local -a apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -q
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  log "apt-get install $*"
  if ! "${apt[@]}" install --no-install-recommends "$@" </dev/null >&2; then
    log "apt-get install failed; running apt-get update and retrying"
    "${apt[@]}" update </dev/null >&2
    "${apt[@]}" install --no-install-recommends "$@" </dev/null >&2
  fi
}

with_lock() {
  mkdir -p "$DATA_DIR"
  exec 9>"$DATA_DIR/.lock"
  if ! flock -n 9; then
    log "waiting for another scripts/services.sh to finish"
    flock -w 900 9 || die "timed out waiting for the lock $DATA_DIR/.lock"
  fi
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL

pg_bin() {
  if [[ -n ${SHOP_PG_BIN:-} ]]; then
    echo "$SHOP_PG_BIN"
    return 0
  fi
  # An existing cluster must be run by its own major version.
  if [[ -s $PG_DATA/PG_VERSION ]]; then
    local own
    own="/usr/lib/postgresql/$(cat "$PG_DATA/PG_VERSION")/bin"
    if [[ -x $own/postgres ]]; then
      echo "$own"
      return 0
    fi
  fi
  local d v best="" bestv=0
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres && -x $d/psql ]] || continue
    v=$(basename -- "$(dirname -- "$d")")
    [[ $v =~ ^[0-9]+$ ]] || continue
    if ((v >= PG_MIN_MAJOR && v > bestv)); then
      best=$d
      bestv=$v
    fi
  done
  [[ -n $best ]] || return 1
  echo "$best"
}

pg_os_user() { if is_root; then echo postgres; else id -un; fi; }

pg_psql() { # psql over TCP to our server; the caller passes -U and -d
  local bin
  bin=$(pg_bin) || return 1
  PGCONNECT_TIMEOUT=3 "$bin/psql" -X -q -h "$HOST" -p "$PG_PORT" "$@"
}

pg_ready() {
  local bin
  bin=$(pg_bin 2>/dev/null) || { port_open "$PG_PORT"; return; }
  "$bin/pg_isready" -q -h "$HOST" -p "$PG_PORT" -t 3 >/dev/null 2>&1
}

pg_healthy() {
  [[ $(pg_psql -U "$PG_ROLE" -d "$PG_DATABASE" -tAc 'select 1' 2>/dev/null) == 1 ]]
}

pg_install() {
  if pg_bin >/dev/null; then return 0; fi
  log "postgres: no PostgreSQL >= $PG_MIN_MAJOR server binaries under /usr/lib/postgresql/*/bin"
  apt_install postgresql
  pg_bin >/dev/null || die "postgres: 'apt-get install postgresql' did not provide PostgreSQL >= $PG_MIN_MAJOR"
}

pg_init() {
  local bin=$1 user
  user=$(pg_os_user)
  if is_root && ! id -u "$user" >/dev/null 2>&1; then die "postgres: OS user '$user' is missing"; fi
  log "postgres: creating a private cluster in $PG_DATA"
  rm -rf "$PG_DATA"
  mkdir -p "$PG_DATA" "$PG_SOCK"
  chmod 700 "$PG_DATA"
  if is_root; then chown -R "$user:" "$PG_DIR" "$PG_SOCK"; fi
  ensure_reachable "$user" "$PG_DIR"
  if ! run_as "$user" "$bin/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C \
    --auth-local=trust --auth-host=trust >"$PG_INITDB_LOG" 2>&1; then
    rm -rf "$PG_DATA"
    fail_service postgres "$PG_INITDB_LOG"
  fi
  # Loopback only; trust is fine for a throw-away test cluster that listens on 127.0.0.1.
  cat >"$PG_DATA/pg_hba.conf" <<'EOF'
# written by scripts/services.sh: a test cluster on loopback, no passwords
local   all   all                  trust
host    all   all   127.0.0.1/32   trust
EOF
  cat >>"$PG_DATA/postgresql.conf" <<'EOF'

# --- scripts/services.sh: test cluster (listen address, port and socket dir are set by pg_ctl -o)
listen_addresses = '127.0.0.1'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  if is_root; then chown "$user:" "$PG_DATA/pg_hba.conf" "$PG_DATA/postgresql.conf"; fi
}

pg_start() {
  if pg_healthy; then
    log "postgres: already up on $HOST:$PG_PORT"
    return 0
  fi
  pg_install
  local bin user t0=$SECONDS
  bin=$(pg_bin)
  user=$(pg_os_user)
  mkdir -p "$PG_DIR"
  if ! pg_ready; then
    if port_open "$PG_PORT"; then die "postgres: port $HOST:$PG_PORT is taken by something that is not PostgreSQL"; fi
    [[ -s $PG_DATA/PG_VERSION ]] || pg_init "$bin"
    mkdir -p "$PG_SOCK"
    touch "$PG_LOG"
    if is_root; then chown "$user:" "$PG_DIR" "$PG_SOCK" "$PG_LOG"; fi
    log "postgres: starting $("$bin/postgres" --version) on $HOST:$PG_PORT"
    run_as "$user" "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$PG_TIMEOUT" \
      -o "-h $HOST -p $PG_PORT -k '$PG_SOCK'" start >&2 9>&- || fail_service postgres "$PG_LOG"
  fi
  wait_until "$PG_TIMEOUT" pg_ready || fail_service postgres "$PG_LOG"
  # The role and database the tests use (idempotent).
  pg_psql -U postgres -d postgres -v ON_ERROR_STOP=1 >&2 <<EOF || fail_service postgres "$PG_LOG"
SELECT 'CREATE ROLE $PG_ROLE LOGIN CREATEDB CREATEROLE'
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') \gexec
SELECT 'CREATE DATABASE $PG_DATABASE OWNER $PG_ROLE'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DATABASE') \gexec
EOF
  pg_healthy || fail_service postgres "$PG_LOG"
  log "postgres: up on $HOST:$PG_PORT ($((SECONDS - t0)) s)"
}

pg_stop() {
  local bin
  if [[ -s $PG_DATA/postmaster.pid ]] && bin=$(pg_bin 2>/dev/null); then
    log "postgres: stopping"
    run_as "$(pg_os_user)" "$bin/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >&2 9>&- ||
      log "postgres: pg_ctl stop reported an error (was it running?)"
  else
    log "postgres: not running (no postmaster.pid)"
  fi
}

pg_status() {
  local state=down version="" bin
  if pg_healthy; then
    state=up
    version="PostgreSQL $(pg_psql -U "$PG_ROLE" -d "$PG_DATABASE" -tAc 'show server_version' 2>/dev/null)"
  elif bin=$(pg_bin 2>/dev/null); then
    version="($("$bin/postgres" --version 2>/dev/null | sed 's/^postgres (PostgreSQL) /PostgreSQL /') installed)"
  else
    version="(not installed)"
  fi
  printf '%-11s %-5s %-17s %s\n' postgres "$state" "$HOST:$PG_PORT" "$version"
  [[ $state == up ]]
}

# ---------------------------------------------------------------------------------------------
# OpenSearch

os_user() { if is_root; then echo "$SVC_USER"; else id -un; fi; }

# Sets OS_KIND (opensearch|elasticsearch), OS_VERSION and OS_HOME for what is installed, preferring
# the pinned OpenSearch; returns 1 when nothing is installed.
os_detect() {
  if [[ -x $OS_ROOT/$OPENSEARCH_VERSION/bin/opensearch ]]; then
    OS_KIND=opensearch OS_VERSION=$OPENSEARCH_VERSION OS_HOME=$OS_ROOT/$OPENSEARCH_VERSION
  elif [[ -x $OS_ROOT/elasticsearch-$FALLBACK_ES_VERSION/bin/elasticsearch ]]; then
    OS_KIND=elasticsearch OS_VERSION=$FALLBACK_ES_VERSION OS_HOME=$OS_ROOT/elasticsearch-$FALLBACK_ES_VERSION
  else
    return 1
  fi
}

os_healthy() {
  http_get "http://$HOST:$OS_PORT/_cluster/health?wait_for_status=yellow&timeout=2s" 5 >/dev/null
}

java_home() {
  local j
  if [[ -n ${OPENSEARCH_JAVA_HOME:-} ]]; then
    echo "$OPENSEARCH_JAVA_HOME"
  elif [[ -n ${JAVA_HOME:-} && -x ${JAVA_HOME}/bin/java ]]; then
    echo "$JAVA_HOME"
  elif j=$(command -v java); then
    j=$(readlink -f -- "$j")
    dirname -- "$(dirname -- "$j")"
  else
    return 1
  fi
}

java_major() { # java_home
  "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\)\(\.[0-9]*\)*.*".*/\1/p' | head -1
}

ensure_svc_user() {
  is_root || return 0
  id -u "$SVC_USER" >/dev/null 2>&1 && return 0
  log "creating unprivileged system user '$SVC_USER' (OpenSearch refuses to run as root)"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$SVC_USER"
}

# mvn_fetch <group:artifact:version:zip> <dir>: copies the artifact into dir through the local
# Maven repository (~/.m2), so a second fetch needs no network.
mvn_fetch() {
  local coords=$1 dir=$2 mlog="$OS_ROOT/maven.log"
  mkdir -p "$dir"
  log "maven: fetching $coords (log: $mlog)"
  if (cd "$dir" && mvn -B -q "$MVN_DEPENDENCY_PLUGIN:copy" -Dartifact="$coords" \
    -DoutputDirectory="$dir" -Dmdep.overWriteReleases=true </dev/null >"$mlog" 2>&1); then
    return 0
  fi
  log "maven: could not fetch $coords; last lines of $mlog:"
  sed $'s/\x1b\\[[0-9;]*m//g' "$mlog" | grep -v '^[[:space:]]*$' | tail -n 15 >&2 || true
  return 1
}

unzip_to() { # zip destdir: extracts the zip's single top-level folder as destdir
  local zip=$1 dest=$2 tmp
  tmp="$dest.extract.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if have unzip; then
    unzip -q "$zip" -d "$tmp"
  else # keeps the executable bits, unlike `python3 -m zipfile`
    "$PYTHON" - "$zip" "$tmp" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        path = z.extract(info, sys.argv[2])
        mode = info.external_attr >> 16
        if mode:
            os.chmod(path, mode & 0o7777)
PY
  fi
  local top
  top=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -1)
  [[ -n $top ]] || die "opensearch: $zip has no top-level folder"
  rm -rf "$dest"
  mv "$top" "$dest"
  rm -rf "$tmp"
}

os_prereqs() {
  local jh major
  if ! jh=$(java_home) || [[ ! -x $jh/bin/java ]]; then
    log "opensearch: no Java found"
    apt_install openjdk-17-jre-headless
    jh=$(java_home) || die "opensearch: still no Java after installing openjdk-17-jre-headless"
  fi
  major=$(java_major "$jh")
  if ! { [[ -n $major ]] && ((major >= 11)); }; then
    die "opensearch: needs Java 11 or newer, found '${major:-?}' in $jh"
  fi
  have mvn || apt_install maven
}

# module name -> "artifactId on Maven Central|plugin class|extended plugins|security policy"
# (as in the modules' build.gradle and plugin-security.policy upstream, OpenSearch 2.x)
os_module_spec() {
  case $1 in
  lang-painless) echo "lang-painless|org.opensearch.painless.PainlessPlugin||painless" ;;
  analysis-common) echo "analysis-common|org.opensearch.analysis.common.CommonAnalysisPlugin|lang-painless|" ;;
  mapper-extras) echo "mapper-extras-client|org.opensearch.index.mapper.MapperExtrasPlugin||" ;;
  reindex) echo "reindex-client|org.opensearch.index.reindex.ReindexPlugin||reindex" ;;
  parent-join) echo "parent-join-client|org.opensearch.join.ParentJoinPlugin||" ;;
  percolator) echo "percolator-client|org.opensearch.percolator.PercolatorPlugin||" ;;
  lang-mustache) echo "lang-mustache-client|org.opensearch.script.mustache.MustachePlugin||mustache" ;;
  ingest-common) echo "ingest-common|org.opensearch.ingest.common.IngestCommonPlugin|lang-painless|" ;;
  aggs-matrix-stats) echo "aggs-matrix-stats-client|org.opensearch.search.aggregations.matrix.MatrixAggregationPlugin||" ;;
  rank-eval) echo "rank-eval-client|org.opensearch.index.rankeval.RankEvalPlugin||" ;;
  geo) echo "geo|org.opensearch.geo.GeoModulePlugin||" ;;
  search-pipeline-common) echo "search-pipeline-common|org.opensearch.search.pipeline.common.SearchPipelineCommonModulePlugin|lang-painless|" ;;
  *) return 1 ;;
  esac
}

# The wanted modules plus the plugins they extend, sorted, on one line.
os_modules_wanted() {
  local m x spec ext out=" "
  for m in $OS_MODULES; do
    spec=$(os_module_spec "$m") ||
      die "opensearch: unknown module '$m' in SHOP_OPENSEARCH_MODULES (known: $OS_MODULES_DEFAULT)"
    IFS='|' read -r _ _ ext _ <<<"$spec"
    for x in $ext $m; do
      if [[ $out != *" $x "* ]]; then out+="$x "; fi
    done
  done
  # shellcheck disable=SC2086 # word splitting intended
  if [[ -n ${out// /} ]]; then printf '%s\n' $out | sort | tr '\n' ' ' | sed 's/ $//'; fi
}

os_modules_marker() { echo "$OS_HOME/.shop-modules"; }

os_modules_current() {
  [[ $OS_KIND == opensearch ]] || return 0
  [[ -e $(os_modules_marker) && $(cat "$(os_modules_marker)") == "$(os_modules_wanted)" ]]
}

os_module_policy() {
  case $1 in
  painless)
    printf '%s\n' 'grant {' '  permission java.lang.RuntimePermission "createClassLoader";' \
      '  permission java.lang.RuntimePermission "getClassLoader";' '};'
    ;;
  mustache) printf '%s\n' 'grant {' '  permission java.lang.RuntimePermission "accessDeclaredMembers";' '};' ;;
  reindex)
    printf '%s\n' 'grant {' '  permission java.net.SocketPermission "*", "connect";' \
      '  permission java.net.NetPermission "getProxySelector";' '};'
    ;;
  esac
}

# Adds the wanted standard modules to $OS_HOME/modules. One Maven reactor resolves every module's
# jar with its runtime dependencies (cached in ~/.m2); jars the server already has in lib/ are left
# out, as in the full distribution; then each gets plugin-descriptor.properties and, where
# upstream has one, its plugin-security.policy.
os_install_modules() {
  local wanted marker m spec artifact cls ext policy jar t0=$SECONDS
  wanted=$(os_modules_wanted)
  marker=$(os_modules_marker)
  # Drop modules an earlier run added that are no longer wanted (never the zip's own).
  if [[ -e $marker ]]; then
    local -a added
    read -r -a added <"$marker" || true
    for m in "${added[@]}"; do
      if [[ " $wanted " != *" $m "* ]]; then rm -rf "${OS_HOME:?}/modules/$m"; fi
    done
  fi
  rm -f "$marker"
  if [[ -z $wanted ]]; then
    log "opensearch: no extra modules (SHOP_OPENSEARCH_MODULES=none): the bare integ-test-zip"
    : >"$marker"
    return 0
  fi
  local build="$OS_ROOT/modules-build" mlog="$OS_ROOT/maven.log" mods=""
  rm -rf "$build"
  mkdir -p "$build"
  for m in $wanted; do
    IFS='|' read -r artifact _ _ _ <<<"$(os_module_spec "$m")"
    mods+="<module>$m</module>"
    mkdir -p "$build/$m"
    cat >"$build/$m/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local.shop.opensearch-modules</groupId><artifactId>$m</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies><dependency>
    <groupId>org.opensearch.plugin</groupId><artifactId>$artifact</artifactId><version>$OPENSEARCH_VERSION</version>
    <exclusions><exclusion><groupId>org.opensearch</groupId><artifactId>opensearch</artifactId></exclusion></exclusions>
  </dependency></dependencies>
</project>
EOF
  done
  cat >"$build/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local.shop</groupId><artifactId>opensearch-modules</artifactId><version>1</version><packaging>pom</packaging>
  <modules>$mods</modules>
</project>
EOF
  log "maven: fetching the OpenSearch $OPENSEARCH_VERSION modules $wanted (org.opensearch.plugin)"
  if ! (cd "$build" && mvn -B -q "$MVN_DEPENDENCY_PLUGIN:copy-dependencies" -DincludeScope=runtime \
    </dev/null >"$mlog" 2>&1); then
    sed $'s/\x1b\\[[0-9;]*m//g' "$mlog" | grep -v '^[[:space:]]*$' | tail -n 15 >&2 || true
    die "opensearch: could not fetch the modules (log: $mlog); SHOP_OPENSEARCH_MODULES=none runs the bare integ-test-zip"
  fi
  for m in $wanted; do
    IFS='|' read -r artifact cls ext policy <<<"$(os_module_spec "$m")"
    rm -rf "${OS_HOME:?}/modules/$m"
    mkdir -p "$OS_HOME/modules/$m"
    for jar in "$build/$m/target/dependency/"*.jar; do
      if [[ ! -e $OS_HOME/lib/$(basename -- "$jar") ]]; then cp "$jar" "$OS_HOME/modules/$m/"; fi
    done
    [[ -e $OS_HOME/modules/$m/$artifact-$OPENSEARCH_VERSION.jar ]] ||
      die "opensearch: module $m: $artifact-$OPENSEARCH_VERSION.jar was not fetched (log: $mlog)"
    cat >"$OS_HOME/modules/$m/plugin-descriptor.properties" <<EOF
# assembled by scripts/services.sh from org.opensearch.plugin:$artifact:$OPENSEARCH_VERSION
description=The $m module of OpenSearch $OPENSEARCH_VERSION
version=$OPENSEARCH_VERSION
name=$m
classname=$cls
java.version=11
opensearch.version=$OPENSEARCH_VERSION
custom.foldername=
extended.plugins=$ext
has.native.controller=false
EOF
    if [[ -n $policy ]]; then os_module_policy "$policy" >"$OS_HOME/modules/$m/plugin-security.policy"; fi
  done
  rm -rf "$build"
  echo "$wanted" >"$marker"
  log "opensearch: added modules $wanted ($((SECONDS - t0)) s)"
}

os_install() {
  os_modules_wanted >/dev/null # validates SHOP_OPENSEARCH_MODULES
  if os_detect && os_modules_current; then return 0; fi
  os_prereqs
  mkdir -p "$OS_ROOT"
  if ! os_detect; then
    local dl="$OS_ROOT/download" t0=$SECONDS
    rm -rf "$dl"
    if mvn_fetch "$OPENSEARCH_GA:$OPENSEARCH_VERSION:zip" "$dl"; then
      log "opensearch: unpacking $OPENSEARCH_VERSION"
      unzip_to "$dl/opensearch-$OPENSEARCH_VERSION.zip" "$OS_ROOT/$OPENSEARCH_VERSION"
    else
      log "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
      log "!!! could not fetch OpenSearch $OPENSEARCH_VERSION ($OPENSEARCH_GA:$OPENSEARCH_VERSION:zip)"
      log "!!! FALLING BACK TO Elasticsearch $FALLBACK_ES_VERSION (OSS integ-test-zip): NOT OpenSearch 2.x"
      log "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
      mvn_fetch "$FALLBACK_ES_GA:$FALLBACK_ES_VERSION:zip" "$dl" ||
        die "opensearch: could not fetch OpenSearch $OPENSEARCH_VERSION nor the Elasticsearch $FALLBACK_ES_VERSION fallback from Maven Central"
      unzip_to "$dl/elasticsearch-$FALLBACK_ES_VERSION.zip" "$OS_ROOT/elasticsearch-$FALLBACK_ES_VERSION"
    fi
    rm -rf "$dl"
    os_detect || die "opensearch: installation left no bin/opensearch"
    log "opensearch: installed $OS_KIND $OS_VERSION in $OS_HOME ($((SECONDS - t0)) s)"
  fi
  if [[ $OS_KIND == opensearch ]]; then
    os_install_modules
  else
    log "opensearch: the Elasticsearch fallback runs with its own (core) modules only"
  fi
}

os_launcher_alive() { pid_matches "$(read_pid "$OS_LAUNCHER_PID")" "$OS_HOME"; }

# Launches the node in the background without waiting; os_wait waits.
os_launch() {
  OS_LAUNCHED=""
  if os_healthy; then
    log "opensearch: already up on $HOST:$OS_PORT"
    return 0
  fi
  os_install
  os_detect
  local pid
  pid=$(read_pid "$OS_PID")
  if pid_matches "$pid" "$OS_HOME" || os_launcher_alive; then
    log "opensearch: a node is already starting (pid ${pid:-?}); waiting for it"
    OS_LAUNCHED=yes
    return 0
  fi
  if port_open "$OS_PORT"; then die "opensearch: port $HOST:$OS_PORT is taken by something that is not a healthy OpenSearch"; fi
  local user jh data="$OS_ROOT/data/$OS_KIND-$OS_VERSION"
  user=$(os_user)
  jh=$(java_home) || die "opensearch: no Java found"
  ensure_svc_user
  mkdir -p "$data" "$OS_LOGS" "$OS_TMP"
  rm -f "$OS_PID" "$OS_LAUNCHER_PID"
  if is_root; then chown -R "$user:" "$OS_ROOT"; fi
  ensure_reachable "$user" "$OS_ROOT"
  local bin=$OS_HOME/bin/$OS_KIND
  local -a envs
  if [[ $OS_KIND == opensearch ]]; then
    envs=("OPENSEARCH_JAVA_HOME=$jh" "OPENSEARCH_JAVA_OPTS=-Xms$OS_HEAP -Xmx$OS_HEAP"
      "OPENSEARCH_PATH_CONF=$OS_HOME/config" "OPENSEARCH_TMPDIR=$OS_TMP")
  else
    envs=("JAVA_HOME=$jh" "ES_JAVA_OPTS=-Xms$OS_HEAP -Xmx$OS_HEAP"
      "ES_PATH_CONF=$OS_HOME/config" "ES_TMPDIR=$OS_TMP")
  fi
  local -a args=(
    -p "$OS_PID"
    -Ecluster.name="$OS_CLUSTER_NAME"
    -Enode.name="$OS_CLUSTER_NAME-0"
    -Ediscovery.type=single-node
    -Enetwork.host="$HOST"
    -Ehttp.port="$OS_PORT"
    -Etransport.port="$OS_TRANSPORT_PORT"
    -Epath.data="$data"
    -Epath.logs="$OS_LOGS"
    # CI disks are often >90% full; do not let the disk watermarks block shard allocation.
    -Ecluster.routing.allocation.disk.threshold_enabled=false
  )
  local -a as=()
  if is_root; then as=(runuser -u "$user" --); fi
  log "opensearch: starting $OS_KIND $OS_VERSION on $HOST:$OS_PORT as user '$user' (heap $OS_HEAP)"
  if [[ $OS_KIND != opensearch ]]; then
    log "!!! WARNING: this is the Elasticsearch $OS_VERSION FALLBACK, not OpenSearch 2.x"
  fi
  (cd "$OS_ROOT" && exec setsid nohup "${as[@]}" env "${envs[@]}" "$bin" "${args[@]}" \
    </dev/null >>"$OS_CONSOLE_LOG" 2>&1 9>&-) &
  echo $! >"$OS_LAUNCHER_PID"
  OS_LAUNCHED=yes
  OS_T0=$SECONDS
}

os_wait() {
  [[ -n ${OS_LAUNCHED:-} ]] || return 0
  os_detect
  if ! wait_until "$OS_TIMEOUT" os_healthy os_launcher_alive; then
    fail_service opensearch "$OS_CONSOLE_LOG" "$OS_LOGS/$OS_CLUSTER_NAME.log"
  fi
  log "opensearch: up on $HOST:$OS_PORT ($((SECONDS - ${OS_T0:-$SECONDS})) s)"
}

os_stop() {
  if ! os_detect; then
    log "opensearch: not installed"
    rm -f "$OS_LAUNCHER_PID"
    return 0
  fi
  local stopped=""
  stop_pid opensearch "$OS_PID" "$OS_HOME" && stopped=yes
  # A node still booting has not written its pid file yet: stop it through its launcher
  # (runuser passes SIGTERM on to the JVM).
  stop_pid "opensearch launcher" "$OS_LAUNCHER_PID" "$OS_HOME" && stopped=yes
  [[ -n $stopped ]] || log "opensearch: not running (no live pid file)"
}

os_status() {
  local state=down version body
  if os_healthy; then
    state=up
    body=$(http_get "http://$HOST:$OS_PORT/" 5 || true)
    local dist num
    dist=$(printf '%s' "$body" | grep -o '"distribution" *: *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/' || true)
    num=$(printf '%s' "$body" | grep -o '"number" *: *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/' || true)
    if [[ ${dist:-} == opensearch ]]; then
      version="OpenSearch ${num:-?}"
    else
      version="Elasticsearch ${num:-?} (FALLBACK, not OpenSearch)"
    fi
  elif os_detect; then
    version="($OS_KIND $OS_VERSION installed)"
  else
    version="(not installed)"
  fi
  printf '%-11s %-5s %-17s %s\n' opensearch "$state" "$HOST:$OS_PORT" "$version"
  [[ $state == up ]]
}

# ---------------------------------------------------------------------------------------------
# moto

moto_ok() { # python: has moto == MOTO_VERSION with the server extras
  "$1" - "$MOTO_VERSION" >/dev/null 2>&1 <<'PY'
import sys, importlib.metadata as md
import moto.server, flask, flask_cors  # noqa: F401  (the [server] extra)
sys.exit(0 if md.version("moto") == sys.argv[1] else 1)
PY
}

moto_python() {
  if have "$PYTHON" && moto_ok "$PYTHON"; then
    command -v "$PYTHON"
  elif [[ -x $MOTO_VENV/bin/python ]] && moto_ok "$MOTO_VENV/bin/python"; then
    echo "$MOTO_VENV/bin/python"
  else
    return 1
  fi
}

moto_install() {
  if moto_python >/dev/null; then return 0; fi
  have "$PYTHON" || apt_install python3 python3-pip python3-venv
  local t0=$SECONDS
  log "moto: installing moto[server]==$MOTO_VERSION with $PYTHON -m pip"
  if ! PIP_ROOT_USER_ACTION=ignore "$PYTHON" -m pip install -q --disable-pip-version-check \
    "moto[server]==$MOTO_VERSION" </dev/null >&2; then
    log "moto: pip install into $PYTHON failed (externally managed?); using a venv in $MOTO_VENV"
    rm -rf "$MOTO_VENV"
    mkdir -p "$MOTO_DIR"
    "$PYTHON" -m venv "$MOTO_VENV" >&2
    "$MOTO_VENV/bin/python" -m pip install -q --disable-pip-version-check \
      "moto[server]==$MOTO_VERSION" </dev/null >&2
  fi
  moto_python >/dev/null || die "moto: moto[server]==$MOTO_VERSION is still not importable after pip install"
  log "moto: installed ($((SECONDS - t0)) s)"
}

moto_healthy() { http_get "http://$HOST:$MOTO_PORT/moto-api/" 5 >/dev/null; }
moto_alive() { pid_matches "$(read_pid "$MOTO_PID")" moto.server; }

moto_start() {
  if moto_healthy; then
    log "moto: already up on $HOST:$MOTO_PORT"
    return 0
  fi
  moto_install
  local py t0=$SECONDS
  py=$(moto_python)
  mkdir -p "$MOTO_DIR"
  if ! moto_alive; then
    if port_open "$MOTO_PORT"; then die "moto: port $HOST:$MOTO_PORT is taken by something that is not moto"; fi
    log "moto: starting moto_server $MOTO_VERSION on $HOST:$MOTO_PORT"
    (cd "$MOTO_DIR" && exec setsid nohup "$py" -m moto.server -H "$HOST" -p "$MOTO_PORT" \
      </dev/null >>"$MOTO_LOG" 2>&1 9>&-) &
    echo $! >"$MOTO_PID"
  fi
  wait_until "$MOTO_TIMEOUT" moto_healthy moto_alive || fail_service moto "$MOTO_LOG"
  log "moto: up on $HOST:$MOTO_PORT ($((SECONDS - t0)) s)"
}

moto_stop() {
  stop_pid moto "$MOTO_PID" moto.server || log "moto: not running (no live pid file)"
}

moto_status() {
  local state=down version
  if moto_healthy; then
    state=up
    local py
    if py=$(moto_python 2>/dev/null); then
      version="moto $("$py" -c 'import moto; print(moto.__version__)' 2>/dev/null || echo '?')"
    else
      version="moto (version unknown: not the pinned $MOTO_VERSION)"
    fi
  elif moto_python >/dev/null 2>&1; then
    version="(moto $MOTO_VERSION installed)"
  else
    version="(not installed)"
  fi
  printf '%-11s %-5s %-17s %s\n' moto "$state" "$HOST:$MOTO_PORT" "$version"
  [[ $state == up ]]
}

# ---------------------------------------------------------------------------------------------
# commands

note_data_dir() { if [[ -n $DATA_DIR_NOTE ]]; then log "$DATA_DIR_NOTE"; fi; }

cmd_install() {
  note_data_dir
  with_lock
  pg_install
  os_install
  moto_install
  bash "$SCRIPT_DIR/pulumi-engine.sh" install 9>&-
  log "install: done"
}

cmd_start() {
  note_data_dir
  with_lock
  local t0=$SECONDS
  # OpenSearch boots slowest: launch it first, bring up the others meanwhile, then wait for it.
  os_launch
  pg_start
  moto_start
  # Built (or found in its cache) while OpenSearch boots.
  bash "$SCRIPT_DIR/pulumi-engine.sh" install 9>&-
  os_wait
  log "start: all services up ($((SECONDS - t0)) s)"
}

cmd_stop() {
  with_lock
  os_stop
  moto_stop
  pg_stop
}

cmd_status() {
  local rc=0
  pg_status || rc=3
  os_status || rc=3
  moto_status || rc=3
  bash "$SCRIPT_DIR/pulumi-engine.sh" status || true
  return "$rc"
}

# ---------------------------------------------------------------------------------------------
# A second, throttled OpenSearch node (a cluster of its own) with one write thread, a write queue
# of one and 256 KB of indexing pressure, so that concurrent bulk requests get real 429s: per item
# (write queue full) and for whole requests (indexing pressure). Only the reindex fault tests use
# it; it shares the installed distribution and has its own data, logs and pid files.

OS_THROTTLED_PORT="${SHOP_OPENSEARCH_THROTTLED_PORT:-59201}"
OS_THROTTLED_TRANSPORT_PORT="${SHOP_OPENSEARCH_THROTTLED_TRANSPORT_PORT:-59301}"
OS_THROTTLED_DIR="$OS_ROOT/throttled"
OS_THROTTLED_PID="$OS_THROTTLED_DIR/opensearch.pid"
OS_THROTTLED_LAUNCHER_PID="$OS_THROTTLED_DIR/launcher.pid"

os_throttled_healthy() {
  http_get "http://$HOST:$OS_THROTTLED_PORT/_cluster/health?wait_for_status=yellow&timeout=2s" 5 >/dev/null
}
os_throttled_alive() { pid_matches "$(read_pid "$OS_THROTTLED_LAUNCHER_PID")" "$OS_HOME"; }

cmd_throttled_start() {
  note_data_dir
  with_lock
  local t0=$SECONDS
  if os_throttled_healthy; then
    log "opensearch-throttled: already up on $HOST:$OS_THROTTLED_PORT"
    return 0
  fi
  os_install
  os_detect
  [[ $OS_KIND == opensearch ]] || die "opensearch-throttled: needs OpenSearch, found the $OS_KIND fallback"
  if os_throttled_alive; then
    log "opensearch-throttled: already starting; waiting for it"
  else
    if port_open "$OS_THROTTLED_PORT"; then die "opensearch-throttled: port $HOST:$OS_THROTTLED_PORT is taken"; fi
    local user jh
    user=$(os_user)
    jh=$(java_home) || die "opensearch-throttled: no Java found"
    ensure_svc_user
    rm -rf "$OS_THROTTLED_DIR"
    mkdir -p "$OS_THROTTLED_DIR/data" "$OS_THROTTLED_DIR/logs" "$OS_THROTTLED_DIR/tmp"
    # The distribution may have been unpacked just now by root (when the main node was already
    # running elsewhere): the node's user must own all of it, as for the main node.
    if is_root; then chown -R "$user:" "$OS_ROOT"; fi
    ensure_reachable "$user" "$OS_ROOT"
    local -a as=()
    if is_root; then as=(runuser -u "$user" --); fi
    log "opensearch-throttled: starting on $HOST:$OS_THROTTLED_PORT (write pool: 1 thread, queue 1)"
    (cd "$OS_THROTTLED_DIR" && exec setsid nohup "${as[@]}" env "OPENSEARCH_JAVA_HOME=$jh" \
      "OPENSEARCH_JAVA_OPTS=-Xms256m -Xmx256m" "OPENSEARCH_PATH_CONF=$OS_HOME/config" \
      "OPENSEARCH_TMPDIR=$OS_THROTTLED_DIR/tmp" "$OS_HOME/bin/opensearch" -p "$OS_THROTTLED_PID" \
      -Ecluster.name="$OS_CLUSTER_NAME-throttled" -Enode.name="$OS_CLUSTER_NAME-throttled-0" \
      -Ediscovery.type=single-node -Enetwork.host="$HOST" -Ehttp.port="$OS_THROTTLED_PORT" \
      -Etransport.port="$OS_THROTTLED_TRANSPORT_PORT" -Epath.data="$OS_THROTTLED_DIR/data" \
      -Epath.logs="$OS_THROTTLED_DIR/logs" -Ecluster.routing.allocation.disk.threshold_enabled=false \
      -Ethread_pool.write.size=1 -Ethread_pool.write.queue_size=1 -Eindexing_pressure.memory.limit=256kb \
      </dev/null >>"$OS_THROTTLED_DIR/console.log" 2>&1 9>&-) &
    echo $! >"$OS_THROTTLED_LAUNCHER_PID"
  fi
  wait_until "$OS_TIMEOUT" os_throttled_healthy os_throttled_alive ||
    fail_service opensearch-throttled "$OS_THROTTLED_DIR/console.log" "$OS_THROTTLED_DIR/logs/$OS_CLUSTER_NAME-throttled.log"
  log "opensearch-throttled: up on $HOST:$OS_THROTTLED_PORT ($((SECONDS - t0)) s)"
}

cmd_throttled_stop() {
  with_lock
  if os_detect; then
    local stopped=""
    stop_pid opensearch-throttled "$OS_THROTTLED_PID" "$OS_HOME" && stopped=yes
    stop_pid "opensearch-throttled launcher" "$OS_THROTTLED_LAUNCHER_PID" "$OS_HOME" && stopped=yes
    [[ -n $stopped ]] || log "opensearch-throttled: not running"
  fi
  rm -rf "$OS_THROTTLED_DIR"
}

cmd_env() {
  printf 'export SHOP_TEST_PG_URL=%s\n' "postgres://$PG_ROLE@$HOST:$PG_PORT/$PG_DATABASE"
  printf 'export SHOP_TEST_OPENSEARCH_URL=%s\n' "http://$HOST:$OS_PORT"
  printf 'export SHOP_TEST_MOTO_URL=%s\n' "http://$HOST:$MOTO_PORT"
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
}

main() {
  local cmd=${1:-}
  case $cmd in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart)
    cmd_stop
    cmd_start
    ;;
  status) cmd_status ;;
  throttled-start) cmd_throttled_start ;;
  throttled-stop) cmd_throttled_stop ;;
  env) cmd_env ;;
  -h | --help | help)
    usage
    ;;
  *)
    usage
    exit 2
    ;;
  esac
}

main "$@"
