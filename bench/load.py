"""Concurrent-writers load test (issue 9; docs/performance.md). Not a unit test: run it with
`make loadtest` or `bench/load.sh`, which start a private PostgreSQL (scripts/with-postgres.sh).

For each worker count it starts `egovpm serve --workers N` on 127.0.0.1 (production mode), then
for each client count drives that many concurrent writers for a bounded time, each creating
projects through the API (POST /api/v1/projects: a project row, its code, its audit event), and
reports writes/s, latency, errors (must be 0) and where PostgreSQL backends waited (sampled from
pg_stat_activity). Afterwards `egovpm audit verify` must pass. Exit status 1 on any error.

Settings (environment or options): LOAD_DURATION seconds per run (60), LOAD_CLIENTS (1,4,16),
LOAD_WORKERS (2,8), LOAD_REPEAT rounds (1; the median is reported), LOAD_DEPARTMENTS (16: the
clients are spread over that many departments, as offices working at the same time are; codes
are numbered per department, so writers of one department queue on its code counter by design).
All servers are started first and the runs of each worker count alternate."""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PASSWORD = "Load-Test-Passw0rd-" + secrets.token_hex(4)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOVPM_")}
    env.update(
        EGOVPM_DEBUG="",  # production mode, as deployed (no query log, collected static files)
        EGOVPM_SECRET_KEY=secrets.token_urlsafe(50),
        EGOVPM_AUDIT_KEY=secrets.token_urlsafe(48),
        EGOVPM_VAR_DIR=str(work),
        EGOVPM_STATIC_ROOT=str(work / "static"),
        EGOVPM_ALLOWED_HOSTS="127.0.0.1",
        EGOVPM_LOG_LEVEL="WARNING",
    )
    return env


def egovpm(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(  # noqa: S603 (our own argv)
        [str(BIN / "egovpm"), *args], env=env, input=stdin, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        sys.exit(f"load: egovpm {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def setup_people(env: dict[str, str], departments: int) -> list[tuple[str, str]]:
    """Departments load01.. with one staff user each, created in one Django process."""
    code = f"""
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egovpm.config.settings")
django.setup()
from egovpm.accounts.models import Department, User
from egovpm.accounts.services import department_add, user_add
for i in range(1, {departments} + 1):
    dep = f"load{{i:02d}}"
    if not Department.objects.filter(code=dep).exists():
        department_add(actor=None, code=dep, name=f"负载测试部门{{i}}", kind="central", number=f"{{i + 50:02d}}")
    if not User.objects.filter(username=f"staff.{{dep}}").exists():
        user_add(actor=None, username=f"staff.{{dep}}", department_code=dep, roles=["dept_staff"],
                 password={PASSWORD!r})
"""
    argv = [str(BIN / "python"), "-c", code]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)  # noqa: S603
    if done.returncode != 0:
        sys.exit(f"load: creating the test departments failed:\n{done.stderr}")
    return [(f"staff.load{i:02d}", f"load{i:02d}") for i in range(1, departments + 1)]


def request(conn: http.client.HTTPConnection, method: str, path: str, body: Any, token: str = "") -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body, ensure_ascii=False).encode(), headers=headers)
    response = conn.getresponse()
    data = response.read()
    if response.getheader("Connection", "").lower() == "close":
        conn.close()  # sync workers close after each answer; the next request reconnects
    return response.status, data


def wait_for(port: int, server: subprocess.Popen[bytes], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("load: the server exited during start-up (see its log)")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit("load: the server did not answer /healthz in time")


class Sampler(threading.Thread):
    """Samples, every 50 ms, what each active backend of the database is doing."""

    def __init__(self, dsn: str) -> None:
        super().__init__(daemon=True)
        self.dsn = dsn
        self.stop = threading.Event()
        self.counts: collections.Counter[str] = collections.Counter()
        self.samples = 0

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True) as conn:
            while not self.stop.is_set():
                rows = conn.execute(
                    """SELECT coalesce(a.wait_event_type || ':' || a.wait_event, 'CPU'),
                              (SELECT string_agg(DISTINCT coalesce(c.relname, l.locktype), ',')
                                 FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation
                                WHERE l.pid = a.pid AND NOT l.granted)
                         FROM pg_stat_activity a
                        WHERE a.datname = current_database() AND a.state = 'active'
                          AND a.pid <> pg_backend_pid()"""
                ).fetchall()
                self.samples += 1
                for what, waiting_for in rows:
                    self.counts[f"{what}" + (f" ({waiting_for})" if waiting_for else "")] += 1
                time.sleep(0.05)


def drive(port: int, tokens: list[tuple[str, str]], clients: int, duration: float) -> dict[str, Any]:
    stop_at = time.monotonic() + duration
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(i: int) -> None:
        token, department = tokens[i % len(tokens)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        barrier.wait()
        n = 0
        while time.monotonic() < stop_at:
            n += 1
            started = time.perf_counter()
            try:
                status, data = request(
                    conn,
                    "POST",
                    "/api/v1/projects",
                    {"name": f"负载测试项目 {clients}-{i}-{n}", "lead_department": department},
                    token,
                )
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                status, data = 0, repr(exc).encode()
            if status == 201:
                latencies[i].append(time.perf_counter() - started)
            else:
                with lock:
                    errors.append(f"{status} {data[:200]!r}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    all_latencies = sorted(x for per in latencies for x in per)
    ok = len(all_latencies)
    return {
        "clients": clients,
        "writes": ok,
        "errors": len(errors),
        "error_samples": errors[:5],
        "seconds": round(elapsed, 1),
        "writes_per_s": round(ok / elapsed, 1),
        "p50_ms": round(statistics.median(all_latencies) * 1000, 1) if ok else None,
        "p95_ms": round(all_latencies[int(0.95 * (ok - 1))] * 1000, 1) if ok else None,
    }


def server_cpu_seconds(master: int) -> float:
    """User + system CPU of a gunicorn master and its live workers (from /proc; Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [master]
    try:
        for task in Path(f"/proc/{master}/task").iterdir():
            pids += [int(p) for p in (task / "children").read_text().split()]
    except OSError:
        return float("nan")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def start_server(env: dict[str, str], work: Path, workers: int) -> tuple[subprocess.Popen[bytes], int, Any]:
    port = free_port()
    log = open(work / f"server-{workers}.log", "wb")  # noqa: SIM115 (closed in main)
    server = subprocess.Popen(  # noqa: S603 (our own argv)
        [str(BIN / "egovpm"), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=work,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_for(port, server)
    return server, port, log


def login_all(port: int, people: list[tuple[str, str]]) -> list[tuple[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    tokens = []
    for username, department in people:
        status, data = request(conn, "POST", "/api/v1/auth/token", {"username": username, "password": PASSWORD})
        if status != 200:
            sys.exit(f"load: login of {username} failed: {status} {data[:200]!r}")
        tokens.append((json.loads(data)["token"], department))
    return tokens


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=float(os.environ.get("LOAD_DURATION", "60")))
    parser.add_argument("--clients", default=os.environ.get("LOAD_CLIENTS", "1,4,16"))
    parser.add_argument("--workers", default=os.environ.get("LOAD_WORKERS", "2,8"))
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("LOAD_REPEAT", "1")))
    parser.add_argument("--departments", type=int, default=int(os.environ.get("LOAD_DEPARTMENTS", "16")))
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    dsn = os.environ.get("DATABASE_URL", "")
    if not dsn.startswith("postgres"):
        sys.exit("load: DATABASE_URL must name a PostgreSQL database (bench/load.sh starts a private one)")
    client_counts = [int(c) for c in args.clients.split(",")]
    worker_counts = [int(w) for w in args.workers.split(",")]

    work = Path(tempfile.mkdtemp(prefix="egovpm-load."))
    env = server_env(work)
    print(f"load: migrating {dsn.rsplit('@', 1)[-1]}", flush=True)
    egovpm(env, "migrate")
    people = setup_people(env, args.departments)
    results: list[dict[str, Any]] = []
    failed = False
    servers: dict[int, tuple[subprocess.Popen[bytes], int, Any]] = {}
    try:
        # every server up before the first run, idle while another is measured: the runs of 2 and
        # of 8 workers alternate, so a change in the machine's other load hits both alike
        for workers in worker_counts:
            servers[workers] = start_server(env, work, workers)
        tokens = {workers: login_all(port, people) for workers, (_s, port, _l) in servers.items()}
        print(
            f"load: {os.cpu_count()} CPUs; {args.duration:g} s per run; workers {worker_counts}; "
            f"clients {client_counts}; {args.repeat} round(s)",
            flush=True,
        )
        for round_ in range(1, args.repeat + 1):
            for clients in client_counts:
                for workers in worker_counts:
                    server, port, _log = servers[workers]
                    sampler = Sampler(dsn)
                    sampler.start()
                    cpu_before = server_cpu_seconds(server.pid)
                    result = drive(port, tokens[workers], clients, args.duration)
                    cpu = server_cpu_seconds(server.pid) - cpu_before
                    sampler.stop.set()
                    sampler.join()
                    total = sum(sampler.counts.values()) or 1
                    result.update(
                        round=round_,
                        workers=workers,
                        server_cpu_ms_per_write=round(1000 * cpu / result["writes"], 1) if result["writes"] else None,
                        backend_states={k: round(v / total, 3) for k, v in sampler.counts.most_common(6)},
                        active_backends_avg=round(total / max(sampler.samples, 1), 2),
                    )
                    results.append(result)
                    failed |= result["errors"] > 0
                    print(
                        f"workers {workers:2d}  clients {clients:2d}  {result['writes_per_s']:7.1f} writes/s  "
                        f"p50 {result['p50_ms']} ms  p95 {result['p95_ms']} ms  errors {result['errors']}  "
                        f"server CPU {result['server_cpu_ms_per_write']} ms/write  "
                        f"({result['writes']} in {result['seconds']} s)",
                        flush=True,
                    )
                    states = result["backend_states"]
                    print(f"    database: avg {result['active_backends_avg']} busy backends; {states}", flush=True)
                    for sample in result["error_samples"]:
                        print(f"    error: {sample}", flush=True)
    finally:
        for server, _port, log in servers.values():
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()

    print("\nmedian writes/s (over rounds)   " + "  ".join(f"{w:>2d} workers" for w in worker_counts))
    for clients in client_counts:
        cells = []
        for workers in worker_counts:
            runs = [r["writes_per_s"] for r in results if r["clients"] == clients and r["workers"] == workers]
            cells.append(f"{statistics.median(runs):10.1f}")
        print(f"  {clients:2d} clients                     " + "  ".join(cells))

    argv = [str(BIN / "egovpm"), "audit", "verify"]
    verify = subprocess.run(argv, env=env, capture_output=True, text=True)  # noqa: S603
    print(f"load: egovpm audit verify -> {(verify.stdout or verify.stderr).strip()}")
    failed |= verify.returncode != 0
    summary = {"results": results, "audit_verify": (verify.stdout or verify.stderr).strip(), "cpus": os.cpu_count()}
    if args.json:
        Path(args.json).write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    print("load: FAILED" if failed else "load: passed (0 errors, audit chain intact)")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
