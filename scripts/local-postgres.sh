#!/usr/bin/env bash
# A private PostgreSQL cluster for CommunityFunnel, started without Docker or a system service.
#
#   scripts/local-postgres.sh start   prints a connection string on stdout (data kept between runs)
#   scripts/local-postgres.sh stop
#
# Settings (environment): COMMUNITYFUNNEL_PG_DIR (cluster directory), COMMUNITYFUNNEL_PG_PORT (default 55480; "auto": a free one),
# COMMUNITYFUNNEL_PG_FAST=1 (no fsync: throwaway clusters for tests only), PG_BIN (server binaries).
# initdb and postgres refuse to run as root, so as root the cluster belongs to the "postgres" user.
set -euo pipefail

log() { echo "local-postgres: $*" >&2; }

find_bin() {
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]; then echo "$PG_BIN"; return; fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then echo "$newest"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "PostgreSQL server binaries not found: installing Debian's postgresql package"
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    find_bin_no_install
    return
  fi
  log "PostgreSQL server binaries not found: install PostgreSQL (e.g. apt-get install postgresql) or set PG_BIN"
  exit 1
}

find_bin_no_install() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

PORT=${COMMUNITYFUNNEL_PG_PORT:-55480}
if [ "$(id -u)" = 0 ]; then
  DIR=${COMMUNITYFUNNEL_PG_DIR:-/var/tmp/communityfunnel-pg}
else
  DIR=${COMMUNITYFUNNEL_PG_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/communityfunnel/pg}
fi
DATA="$DIR/data"
ROLE=communityfunnel
DATABASE=${COMMUNITYFUNNEL_PG_DATABASE:-communityfunnel}

connection_string() {
  echo "Host=127.0.0.1;Port=$PORT;Username=$ROLE;Password=$(cat "$DIR/password");Database=$DATABASE"
}

start() {
  local bin
  bin=$(find_bin)
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  fi

  mkdir -p "$DIR"
  if [ ! -f "$DATA/PG_VERSION" ]; then
    log "creating a cluster in $DATA"
    umask 077
    head -c 18 /dev/urandom | base64 | tr '+/' 'xy' > "$DIR/password"
    [ "$(id -u)" = 0 ] && chown -R postgres "$DIR"
    as_owner "$bin/initdb" -D "$DATA" -U "$ROLE" --pwfile="$DIR/password" --auth-local=scram-sha-256 --auth-host=scram-sha-256 \
      --no-locale -E UTF8 >/dev/null
  fi
  [ "$(id -u)" = 0 ] && chown -R postgres "$DIR"

  if as_owner "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    log "already running on port $(sed -n 4p "$DATA/postmaster.pid")"
  else
    if [ "$PORT" = auto ]; then
      PORT=55500
      while port_taken "$PORT"; do PORT=$((PORT + 1)); done
    fi
    if port_taken "$PORT"; then
      log "port $PORT is taken by another process: set COMMUNITYFUNNEL_PG_PORT to a free port"
      exit 1
    fi
    local options="-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DIR -c max_connections=300"
    if [ "${COMMUNITYFUNNEL_PG_FAST:-0}" = 1 ]; then
      options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    as_owner "$bin/pg_ctl" -D "$DATA" -o "$options" -l "$DIR/postgres.log" -w -t 60 start >/dev/null
    log "started on 127.0.0.1:$PORT (log: $DIR/postgres.log)"
  fi

  PORT=$(sed -n 4p "$DATA/postmaster.pid")
  if ! PGPASSWORD=$(cat "$DIR/password") "$bin/psql" -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'" | grep -q 1; then
    PGPASSWORD=$(cat "$DIR/password") "$bin/psql" -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d postgres -qc "CREATE DATABASE \"$DATABASE\"" >&2
  fi
  connection_string
}

stop() {
  local bin
  bin=$(find_bin)
  if [ -f "$DATA/PG_VERSION" ]; then
    as_owner "$bin/pg_ctl" -D "$DATA" -m fast stop >&2 || true
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
