#!/usr/bin/env bash
# A throwaway Postgres cluster for the Postgres reference (developer tooling; never needed by npm test or CI).
#   tools/postgres/cluster.sh start|stop|status
# Uses Debian's postgresql (apt-get install -y postgresql). The cluster lives in $PG_DIR (default
# /tmp/standin-pg), listens on 127.0.0.1:$PG_PORT (default 15432) with trust auth, and holds one database
# `directus` owned by the user `directus` (password `directus`). Run as root it runs the server as `postgres`.
set -euo pipefail
PG_DIR=${PG_DIR:-/tmp/standin-pg}
PG_PORT=${PG_PORT:-15432}
BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
fail() { printf 'cluster.sh: ERROR: %s\n' "$*" >&2; exit 1; }
[ -x "$BIN/initdb" ] || fail "no Postgres found under /usr/lib/postgresql (apt-get install -y postgresql)"
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_() { as_owner "$BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

case "${1:-}" in
  start)
    if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
      mkdir -p "$PG_DIR"
      [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
      as_owner "$BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_owner "$BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
      as_owner "$BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
    fi
    psql_ -d postgres -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'directus') THEN CREATE ROLE directus LOGIN SUPERUSER PASSWORD 'directus'; END IF; END \$\$;"
    [ "$(psql_ -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'directus'")" = 1 ] || psql_ -d postgres -c 'CREATE DATABASE directus OWNER directus'
    echo "postgres up: 127.0.0.1:$PG_PORT (data $PG_DIR/data, log $PG_DIR/server.log)"
    ;;
  stop)
    as_owner "$BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
    echo "postgres stopped"
    ;;
  status) as_owner "$BIN/pg_ctl" -D "$PG_DIR/data" status ;;
  *) fail "usage: cluster.sh start|stop|status" ;;
esac
