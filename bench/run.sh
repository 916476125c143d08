#!/usr/bin/env bash
# Throughput of the real server (`egovpm serve`: gunicorn, 2 sync workers) on loopback, against a
# fresh SQLite database holding the demo data. Measures with wrk, ~5 s per endpoint:
#   GET /healthz                          the floor: routing + one trivial query
#   GET /api/v1/projects                  token auth, scoping, pagination, serialization
#   GET /api/v1/projects/{id}/compliance  the rule pack evaluated over one project's facts
# and prints req/s and each endpoint's ratio to /healthz, all measured in this run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.venv/bin"
DURATION="${BENCH_DURATION:-5s}"
CONNECTIONS="${BENCH_CONNECTIONS:-8}"
WORKERS="${BENCH_WORKERS:-2}"

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_require

WORK="$(mktemp -d "${TMPDIR:-/tmp}/egovpm-bench.XXXXXX")"
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

unset DATABASE_URL EGOVPM_NOW
export EGOVPM_DEBUG=1 EGOVPM_VAR_DIR="$WORK" EGOVPM_LOG_LEVEL=WARNING
PORT="$(bench_free_port)"
BASE="http://127.0.0.1:$PORT"

echo "bench: loading the demo data into a fresh SQLite database in $WORK"
(cd "$WORK" && "$BIN/egovpm" demo --no-serve >"$WORK/demo.log" 2>&1) || { cat "$WORK/demo.log" >&2; exit 1; }

bench_serve "$PORT" --workers "$WORKERS"

demo_password() {  # DEMO_PASSWORD from src/egovpm/demo.py, read without importing Django
  "$BIN/python" -c 'import ast, sys
for node in ast.parse(open(sys.argv[1], encoding="utf-8").read()).body:
    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "DEMO_PASSWORD":
        print(node.value.value)' "$ROOT/src/egovpm/demo.py"
}

# Wait for the server, then log in and pick a project — all with the venv's Python.
bench_wait "$BASE"
read -r TOKEN PROJECT_ID PROJECT_COUNT < <(BASE="$BASE" PASSWORD="$(demo_password)" "$BIN/python" - <<'PY'
import json, os, sys, urllib.request

base = os.environ["BASE"]
body = json.dumps({"username": "ndrc.officer", "password": os.environ["PASSWORD"]}).encode()
req = urllib.request.Request(base + "/api/v1/auth/token", data=body, headers={"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=10) as r:
    token = json.load(r)["token"]
req = urllib.request.Request(base + "/api/v1/projects", headers={"Authorization": f"Bearer {token}"})
with urllib.request.urlopen(req, timeout=10) as r:
    listing = json.load(r)
if not listing["results"]:
    sys.exit("bench: ndrc.officer sees no projects")
print(token, listing["results"][0]["id"], listing["count"])
PY
)
[ -n "${TOKEN:-}" ] && [ -n "${PROJECT_ID:-}" ] || { echo "bench: could not log in" >&2; cat "$WORK/server.log" >&2; exit 1; }

measure() {  # name path [auth]
  bench_measure "$1" "$BASE$2" "${3:+Authorization: Bearer $TOKEN}"
}

echo "bench: gunicorn with $WORKERS workers on $BASE; wrk -t2 -c$CONNECTIONS -d$DURATION per endpoint; $(nproc) CPU(s) shared by server and wrk"
read -r H_RPS H_LAT _ < <(measure healthz /healthz)
read -r L_RPS L_LAT _ < <(measure projects /api/v1/projects auth)
read -r C_RPS C_LAT _ < <(measure compliance "/api/v1/projects/$PROJECT_ID/compliance" auth)

printf '\n%-40s %10s %12s %10s\n' endpoint "req/s" "avg latency" "vs healthz"
printf '%-40s %10.1f %12s %10s\n' "GET /healthz" "$H_RPS" "$H_LAT" "1.00"
printf '%-40s %10.1f %12s %10.2f\n' "GET /api/v1/projects" "$L_RPS" "$L_LAT" "$(awk -v a="$L_RPS" -v b="$H_RPS" 'BEGIN{print a/b}')"
printf '%-40s %10.1f %12s %10.2f\n' "GET /api/v1/projects/{id}/compliance" "$C_RPS" "$C_LAT" "$(awk -v a="$C_RPS" -v b="$H_RPS" 'BEGIN{print a/b}')"
echo "(compliance of project $PROJECT_ID; the list holds ${PROJECT_COUNT:-?} projects; SQLite, EGOVPM_DEBUG=1, loopback)"
