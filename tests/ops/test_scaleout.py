"""Issue 9 item 9: several `egovpm serve` processes share one database and one object store.

Starts moto's S3 emulator (server mode) and TWO `egovpm serve` processes on free 127.0.0.1 ports,
each with its own MEDIA_ROOT (nothing shared on disk), the same database (a SQLite file; a fresh
database in the PostgreSQL test cluster when DATABASE_URL points to one, as in the PostgreSQL
pass of `make test`), the same SECRET_KEY and audit key, and EGOVPM_STORAGE=s3. A document
uploaded through one server (API, Bearer token) is downloaded through the other and its SHA-256
and SM3 verified; the blob lives under its content address in the bucket; a UI session created
on one server is valid on the other. Every process is stopped, whatever happens.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.cookiejar
import json
import os
import re
import secrets
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .servers import BUCKET, base_env, egovpm, free_port, moto_s3, serving, wait_http

PASSWORD = "Scale-Out-Passw0rd-2026"
CONTENT = ("需求分析报告 · 第一版 · " * 4000).encode() + bytes(range(256)) * 64  # ~250 KB, not text-only


@contextlib.contextmanager
def shared_database(tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL both servers use: a fresh PostgreSQL database when the tests run against
    PostgreSQL (dropped afterwards), else a SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    import psycopg

    name = f"egovpm_scaleout_{secrets.token_hex(4)}"
    parts = urllib.parse.urlsplit(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def api(base: str, method: str, path: str, token: str = "", body: Any = None, **kw: Any) -> tuple[int, Any, Any]:
    headers = {"Accept": "application/json"}
    data = None
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if isinstance(body, bytes):
        data = body
        headers["Content-Type"] = kw["content_type"]
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310 (our own local servers)
            raw = r.read()
            return r.status, r.headers, raw if kw.get("raw") else json.loads(raw or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def multipart(fields: dict[str, str], name: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = "----egovpm" + secrets.token_hex(8)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def ui_login(base: str, username: str) -> http.cookiejar.CookieJar:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/login/", timeout=30) as r:
        page = r.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the login page"
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(f"{base}/login/", data=form, headers={"Referer": f"{base}/login/"})
    with opener.open(request, timeout=30) as r:
        assert r.status == 200 and "/login/" not in r.url, "login failed"
    assert any(c.name == "sessionid" for c in jar)
    return jar


def ui_get(base: str, path: str, sessionid: str) -> tuple[int, str, str]:
    """GET with only the session cookie (no redirect following: a redirect to /login/ shows)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={sessionid}"})
    try:
        with opener.open(request, timeout=30) as r:
            return r.status, r.headers.get("Location", ""), r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location", ""), ""


def test_two_servers_share_one_database_and_one_object_store(tmp_path: Path) -> None:
    import boto3

    with (
        moto_s3(tmp_path / "moto.log") as endpoint,
        shared_database(tmp_path) as database_url,
    ):
        common = {
            "EGOVPM_DEBUG": "1",  # no collectstatic on start (half a minute); everything else as in production
            "EGOVPM_SECRET_KEY": secrets.token_urlsafe(50),
            "EGOVPM_AUDIT_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": database_url,
            "EGOVPM_STORAGE": "s3",
            "EGOVPM_S3_BUCKET": BUCKET,
            "EGOVPM_S3_ENDPOINT_URL": endpoint,
            "EGOVPM_S3_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
        }
        envs = []
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
            envs.append(base_env(tmp_path / name, EGOVPM_MEDIA_ROOT=str(tmp_path / name / "media"), **common))
        egovpm(envs[0], "migrate")
        egovpm(envs[0], "department", "add", "moa", "--name", "甲部委", "--kind", "central", "--number", "31")
        egovpm(
            envs[0], "user", "add", "staff.a", "--department", "moa", "--role", "dept_staff", "--password-stdin",
            stdin=PASSWORD + "\n",
        )  # fmt: skip

        ports = [free_port(), free_port()]
        with (
            serving(envs[0], "serve", "--port", str(ports[0]), "--workers", "1", log=tmp_path / "a.log"),
            serving(envs[1], "serve", "--port", str(ports[1]), "--workers", "1", log=tmp_path / "b.log"),
        ):
            a, b = (f"http://127.0.0.1:{p}" for p in ports)
            for base in (a, b):
                wait_http(f"{base}/healthz")

            # --- a document uploaded through A ...
            status, _, body = api(a, "POST", "/api/v1/auth/token", body={"username": "staff.a", "password": PASSWORD})
            assert status in (200, 201), body
            token = body["token"]
            status, _, project = api(
                a,
                "POST",
                "/api/v1/projects",
                token,
                {"name": "扩展测试项目", "lead_department": "moa", "construction_goals": "两台服务器共享存储"},
            )
            assert status == 201, project
            form, content_type = multipart(
                {"stage": "needs_analysis", "category": "needs_analysis_report", "title": "需求分析报告"},
                "file",
                "需求分析报告.pdf",
                CONTENT,
            )
            status, _, document = api(
                a, "POST", f"/api/v1/projects/{project['id']}/documents", token, form, content_type=content_type
            )
            assert status == 201, document
            sha256, sm3 = hashlib.sha256(CONTENT).hexdigest(), hashlib.new("sm3", CONTENT).hexdigest()
            assert (document["sha256"], document["sm3"], document["size"]) == (sha256, sm3, len(CONTENT))

            # --- ... is downloaded through B, byte for byte
            status, headers, downloaded = api(b, "GET", f"/api/v1/documents/{document['id']}/content", token, raw=True)
            assert status == 200
            assert hashlib.sha256(downloaded).hexdigest() == sha256
            assert hashlib.new("sm3", downloaded).hexdigest() == sm3
            assert (headers["X-Content-SHA256"], headers["X-Content-SM3"]) == (sha256, sm3)

            # the bytes live in the object store under their content address, on no server's disk
            s3 = boto3.client(
                "s3",
                endpoint_url=endpoint,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
                region_name="us-east-1",
            )
            keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
            assert keys == [f"blobs/{sha256[:2]}/{sha256}"]
            for name in ("a", "b"):
                assert not list((tmp_path / name / "media").rglob(sha256))

            # the same content filed again through B (as another category: the same category and stage
            # would be refused as a duplicate) keeps the one object
            form, content_type = multipart(
                {"stage": "needs_analysis", "category": "other", "title": "需求分析报告（副本）"},
                "file",
                "需求分析报告.pdf",
                CONTENT,
            )
            status, _, again = api(
                b, "POST", f"/api/v1/projects/{project['id']}/documents", token, form, content_type=content_type
            )
            assert status == 201 and again["sha256"] == sha256
            assert len(s3.list_objects_v2(Bucket=BUCKET)["Contents"]) == 1

            # --- a UI session created on A is valid on B (same SECRET_KEY, sessions in the database)
            jar = ui_login(a, "staff.a")
            sessionid = next(c.value for c in jar if c.name == "sessionid")
            status, location, page = ui_get(b, "/", sessionid)
            assert status == 200, f"B answered {status} → {location}"
            assert "staff.a" in page
            status, location, _ = ui_get(b, "/", "not-a-session")
            assert status == 302 and "/login/" in location  # the check is real

        # the storage check sees the same store from any server's configuration
        out = subprocess.run(
            [sys.executable, "-m", "egovpm", "storage", "check"],
            env=envs[1],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stdout + out.stderr
        assert "storage: s3, 1 blobs" in out.stdout
