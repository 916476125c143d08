"""Real `egovpm serve` processes for the operations tests: free ports, bounded waits, and a
cleanup that always ends the process group each test started (and nothing else)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def base_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without any egovpm or database settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EGOVPM_", "DATABASE_URL", "AWS_"))}
    env.update(EGOVPM_VAR_DIR=str(var_dir), PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def egovpm(env: dict[str, str], *args: str, timeout: float = 120, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "egovpm", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"egovpm {' '.join(args)}: {done.stderr or done.stdout}"
    return done.stdout


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 (our own local server)
                if r.status == 200:
                    return
        except Exception as exc:  # not up yet
            last = exc
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout}s: {last}")


@contextlib.contextmanager
def serving(env: dict[str, str], *args: str, log: Path) -> Iterator[subprocess.Popen[Any]]:
    """Start `egovpm <args>` in its own process group; on exit stop that group (TERM, then KILL)."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "egovpm", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield proc
        finally:
            stop(proc)


def stop(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
    # gunicorn's workers are in the same group; make sure none outlives the test
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


BUCKET = "egovpm-documents"


def _moto_command(port: int) -> list[str]:
    script = Path(sys.executable).with_name("moto_server")
    if script.exists():
        return [str(script), "-H", "127.0.0.1", "-p", str(port)]
    return [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]


@contextlib.contextmanager
def moto_s3(log: Path) -> Iterator[str]:
    import boto3

    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(_moto_command(port), stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError(f"moto did not start: {log.read_text()[-2000:]}")
                time.sleep(0.1)
        endpoint = f"http://127.0.0.1:{port}"
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        ).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        stop(proc)
