#!/usr/bin/env bash
# Concurrent-writers load test on a private PostgreSQL (docs/performance.md):
#   bench/load.sh                      1, 4 and 16 clients against 2 and 8 workers, 60 s each
#   LOAD_DURATION=10 bench/load.sh     shorter runs;  LOAD_CLIENTS=16 LOAD_WORKERS=2,8 bench/load.sh
# Every server and client stays on 127.0.0.1. Fails on any error or if `egovpm audit verify` fails.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -x "$ROOT/.venv/bin/egovpm" ]; then
  echo "load: $ROOT/.venv/bin/egovpm missing — run make install-base first" >&2
  exit 1
fi
unset EGOVPM_NOW
exec "$ROOT/scripts/with-postgres.sh" "$ROOT/.venv/bin/python" "$ROOT/bench/load.py" "$@"
