"""Where a page's time goes: GET one path N times in-process as a synthetic user and print the
cProfile of those requests (cumulative time) and the queries of the last one.

    scripts/with-postgres.sh bash -c '.venv/bin/egovpm migrate >/dev/null &&
      .venv/bin/egovpm seed-synthetic --projects 2000 --password-stdin <<<Bench-pass-123 &&
      .venv/bin/egovpm refresh-compliance --all &&
      .venv/bin/python bench/profile_page.py syn.ndrc.officer /projects/ --n 30'

PATH may contain PROJECT, replaced by the id of the project bench/scale_plan.py measures. The
user is logged in with Client.force_login (the session middleware still runs)."""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egovpm.config.settings")

import django

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from egovpm.accounts.models import User  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("username")
    parser.add_argument("path")
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--token", action="store_true", help="an API request with a Bearer token")
    parser.add_argument("--plain", action="store_true", help="time without the profiler (no cProfile overhead)")
    args = parser.parse_args()
    path = args.path
    if "PROJECT" in path:
        import importlib.util
        import pathlib

        spec = importlib.util.spec_from_file_location("scale_plan", pathlib.Path(__file__).with_name("scale_plan.py"))
        assert spec and spec.loader
        plan = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(plan)
        path = path.replace("PROJECT", str(plan._project().pk))
    client = Client(HTTP_HOST="127.0.0.1")
    user = User.objects.get(username=args.username)
    headers = {}
    if args.token:
        from egovpm.accounts.auth import token_issue  # noqa: PLC0415

        headers["Authorization"] = f"Bearer {token_issue(user=user)}"
    else:
        client.force_login(user)
    first = client.get(path, headers=headers)
    assert first.status_code == 200, (first.status_code, first.content[:500])
    profiler = cProfile.Profile()
    started = time.perf_counter()
    if not args.plain:
        profiler.enable()
    for _ in range(args.n):
        client.get(path, headers=headers)
    if not args.plain:
        profiler.disable()
    elapsed = (time.perf_counter() - started) / args.n
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        client.get(path, headers=headers)
    print(f"{path}: {elapsed * 1000:.1f} ms per request in-process, {len(ctx.captured_queries)} queries")
    if not args.plain:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
    for q in ctx.captured_queries:
        print(f"{q['time']}s  {q['sql'][:300]}")


if __name__ == "__main__":
    main()
