"""Issue 9 item 8: clients that send their request bodies slowly must not take the server down.

Starts `egovpm serve` with ONE worker on a free 127.0.0.1 port, opens three connections that each
announce a body and trickle it a byte at a time, and checks that /healthz still answers within
two seconds. With gunicorn's sync workers the single worker sits reading the first slow body and
/healthz times out; with threaded workers (gthread) each slow client holds one thread only.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from .servers import base_env, egovpm, free_port, serving, wait_http

SLOW_CLIENTS = 3


def _slow_client(port: int, stop: threading.Event, sockets: list[socket.socket]) -> None:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    sockets.append(s)
    s.sendall(
        b"POST /api/v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
    )
    while not stop.is_set():
        try:
            s.sendall(b" ")
        except OSError:
            return
        stop.wait(0.5)


def test_healthz_answers_while_slow_clients_trickle_their_bodies(tmp_path: Path) -> None:
    env = base_env(tmp_path, EGOVPM_DEBUG="1")
    egovpm(env, "migrate")
    port = free_port()
    stop = threading.Event()
    sockets: list[socket.socket] = []
    threads: list[threading.Thread] = []
    with serving(env, "serve", "--port", str(port), "--workers", "1", log=tmp_path / "serve.log"):
        try:
            wait_http(f"http://127.0.0.1:{port}/healthz")
            for _ in range(SLOW_CLIENTS):
                t = threading.Thread(target=_slow_client, args=(port, stop, sockets), daemon=True)
                t.start()
                threads.append(t)
            time.sleep(1.5)  # the slow clients are connected and being read
            assert len(sockets) == SLOW_CLIENTS
            started = time.monotonic()
            response: Any
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
                assert response.status == 200
                assert b'"ok"' in response.read()
            assert time.monotonic() - started < 2
        finally:
            stop.set()
            for s in sockets:
                s.close()
            for t in threads:
                t.join(timeout=5)
