# Helpers shared by bench/run.sh and bench/scale.sh (sourced, not run). Each caller sets ROOT, BIN,
# WORK, CONNECTIONS and DURATION before calling them, and traps EXIT with bench_cleanup.

bench_require() {  # the venv's egovpm and wrk (installed through apt when root)
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
}

SERVER_PID=""
bench_cleanup() {  # stop the server (the gunicorn master and so its workers), remove $WORK
  local rc=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$rc"
}

bench_free_port() {
  "$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

bench_serve() {  # port [egovpm serve options...]: starts the server in $WORK, sets SERVER_PID
  local port=$1
  shift
  # `egovpm serve` execs gunicorn, so this pid is the gunicorn master. Access log goes to a file,
  # as it would in production.
  (cd "$WORK" && exec "$BIN/egovpm" serve --host 127.0.0.1 --port "$port" "$@") >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  disown "$SERVER_PID"  # bench_cleanup stops it; no "Killed" job notice from the shell
}

bench_wait() {  # base-url: waits for /healthz (at most BENCH_START_TIMEOUT s: serve may collect static files first)
  BASE="$1" "$BIN/python" - <<'PY'
import os, sys, time, urllib.request

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
PY
}

bench_measure() {  # name url [header] -> prints "req/s avg-latency timeouts"
  # Fails on any non-2xx answer or socket error; requests slower than BENCH_TIMEOUT (5 s) count as
  # timeouts, which fail too unless BENCH_ALLOW_TIMEOUTS=1 (then the caller reports them).
  local out args=(-t 2 -c "$CONNECTIONS" -d "$DURATION" --timeout "${BENCH_TIMEOUT:-5s}")
  [ -n "${3:-}" ] && args+=(-H "$3")
  out="$(timeout 120 wrk "${args[@]}" "$2")"
  echo "$out" >"$WORK/wrk-$1.txt"
  if grep -q 'Non-2xx' <<<"$out" \
    || grep -qE 'Socket errors: connect [1-9]|read [1-9]|write [1-9]' <<<"$out" \
    || { [ "${BENCH_ALLOW_TIMEOUTS:-0}" != 1 ] && grep -q 'Socket errors' <<<"$out"; }; then
    echo "bench: $2 had errors:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk '/Requests\/sec/ {rps=$2} /^ +Latency/ {lat=$2} /Socket errors/ {to=$NF} END {print rps, lat, to+0}' <<<"$out"
}
