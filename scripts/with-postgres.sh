#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 cluster:
#   scripts/with-postgres.sh pytest -m "not browser"
# Starts a private cluster on a free loopback port, creates the role `egovpm` (CREATEDB, so
# pytest-django can create test_egovpm) and database `egovpm`, exports DATABASE_URL, runs the
# command in the current directory, then stops and deletes the cluster whatever happens.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
for tool in initdb pg_ctl psql; do
  if [ ! -x "$PG_BIN/$tool" ]; then
    echo "with-postgres: $PG_BIN/$tool not found (install postgresql-15, or run make system-deps)" >&2
    exit 1
  fi
done

# initdb refuses to run as root: as root the cluster belongs to the postgres user, in /tmp
# (a TMPDIR under /root would not be reachable for it).
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "with-postgres: running as root needs the 'postgres' user (package postgresql-15)" >&2
    exit 1
  fi
  WORK="$(mktemp -d /tmp/egovpm-pg.XXXXXX)"
  chown postgres: "$WORK"
  as_pg() { runuser -u postgres -- "$@"; }
else
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/egovpm-pg.XXXXXX")"
  as_pg() { "$@"; }
fi
DATA="$WORK/data"
SOCKDIR="$WORK"

cleanup() {
  local rc=$?
  if [ -f "$DATA/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

as_pg "$PG_BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log" >&2; exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$WORK/server.log" -w -t 60 \
  -o "-p $PORT -k $SOCKDIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
  start >/dev/null || { cat "$WORK/server.log" >&2; exit 1; }

psql_admin() { "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }
psql_admin -c "CREATE ROLE egovpm LOGIN CREATEDB"
psql_admin -c "CREATE DATABASE egovpm OWNER egovpm"

export DATABASE_URL="postgres://egovpm@127.0.0.1:$PORT/egovpm"
echo "with-postgres: PostgreSQL $("$PG_BIN/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$PORT ($DATA)"
"$@"
