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

if [ ! -x "$BIN/egovpm" ]; then
  echo "bench: $BIN/egovpm missing — run make install-base first" >&2
  exit 1
fi
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bench: installing wrk"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
  else
    echo "bench: wrk is missing — install it (Debian/Ubuntu: sudo apt-get install -y wrk)" >&2
    exit 1
  fi
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/egovpm-bench.XXXXXX")"
SERVER_PID=""
cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

unset DATABASE_URL EGOVPM_NOW
export EGOVPM_DEBUG=1 EGOVPM_VAR_DIR="$WORK" EGOVPM_LOG_LEVEL=WARNING
PORT="$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"

echo "bench: loading the demo data into a fresh SQLite database in $WORK"
(cd "$WORK" && "$BIN/egovpm" demo --no-serve >"$WORK/demo.log" 2>&1) || { cat "$WORK/demo.log" >&2; exit 1; }

# `egovpm serve` execs gunicorn, so this pid is the gunicorn master. Access log goes to a file,
# as it would in production.
(cd "$WORK" && exec "$BIN/egovpm" serve --host 127.0.0.1 --port "$PORT" --workers "$WORKERS") \
  >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

demo_password() {  # DEMO_PASSWORD from src/egovpm/demo.py, read without importing Django
  "$BIN/python" -c 'import ast, sys
for node in ast.parse(open(sys.argv[1], encoding="utf-8").read()).body:
    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "DEMO_PASSWORD":
        print(node.value.value)' "$ROOT/src/egovpm/demo.py"
}

# Wait for the server (at most 180 s: `egovpm serve` runs collectstatic first), then log in and pick a project — all with the venv's Python.
read -r TOKEN PROJECT_ID PROJECT_COUNT < <(BASE="$BASE" PASSWORD="$(demo_password)" "$BIN/python" - <<'PY'
import json, os, sys, time, urllib.request

base = os.environ["BASE"]
deadline = time.monotonic() + float(os.environ.get("BENCH_START_TIMEOUT", "180"))
while True:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
            if r.status == 200:
                break
    except OSError:
        pass
    if time.monotonic() > deadline:
        sys.exit("bench: the server did not answer /healthz in time (egovpm serve runs collectstatic first)")
    time.sleep(0.2)

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

measure() {  # name path [auth] -> prints "req/s avg-latency" ; fails on any non-2xx answer or socket error
  local out args=(-t 2 -c "$CONNECTIONS" -d "$DURATION" --timeout 5s)
  [ "${3:-}" = auth ] && args+=(-H "Authorization: Bearer $TOKEN")
  out="$(timeout 60 wrk "${args[@]}" "$BASE$2")"
  echo "$out" >"$WORK/wrk-$1.txt"
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
    echo "bench: $2 had errors:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk '/Requests\/sec/ {rps=$2} /^ +Latency/ {lat=$2} END {print rps, lat}' <<<"$out"
}

echo "bench: gunicorn with $WORKERS workers on $BASE; wrk -t2 -c$CONNECTIONS -d$DURATION per endpoint; $(nproc) CPU(s) shared by server and wrk"
read -r H_RPS H_LAT < <(measure healthz /healthz)
read -r L_RPS L_LAT < <(measure projects /api/v1/projects auth)
read -r C_RPS C_LAT < <(measure compliance "/api/v1/projects/$PROJECT_ID/compliance" auth)

printf '\n%-40s %10s %12s %10s\n' endpoint "req/s" "avg latency" "vs healthz"
printf '%-40s %10.1f %12s %10s\n' "GET /healthz" "$H_RPS" "$H_LAT" "1.00"
printf '%-40s %10.1f %12s %10.2f\n' "GET /api/v1/projects" "$L_RPS" "$L_LAT" "$(awk -v a="$L_RPS" -v b="$H_RPS" 'BEGIN{print a/b}')"
printf '%-40s %10.1f %12s %10.2f\n' "GET /api/v1/projects/{id}/compliance" "$C_RPS" "$C_LAT" "$(awk -v a="$C_RPS" -v b="$H_RPS" 'BEGIN{print a/b}')"
echo "(compliance of project $PROJECT_ID; the list holds ${PROJECT_COUNT:-?} projects; SQLite, EGOVPM_DEBUG=1, loopback)"
