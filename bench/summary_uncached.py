"""The cockpit summary computed afresh (issue 14: `GET /portfolio/summary` p95 ≤ 300 ms as NDRC).

The server keeps each answer under records_stamp() (portfolio.selectors.summary): while nothing is
written, wrk measures answers from that cache. In use, every write changes the stamp, so the first
request after a change computes it: this measures that computation, in-process, with the cache
cleared before each call, as NDRC (the whole portfolio). Prints `p95 <ms> n <runs>`; stops after
BUDGET seconds whatever the number of runs (a computation of 10 s is reported, not waited for 20 times).
Run by bench/scale.sh with DATABASE_URL set; writes nothing but the verdict refresh a read may make."""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egovpm.config.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402

from egovpm.accounts.models import User  # noqa: E402
from egovpm.portfolio import selectors  # noqa: E402

RUNS = 20
BUDGET = 30.0  # seconds


def main() -> None:
    user = User.objects.get(username=sys.argv[1] if len(sys.argv) > 1 else "syn.ndrc.officer")
    cache.clear()
    selectors.summary(user=user)  # warm: imports, the packs, the connection
    times: list[float] = []
    started = time.monotonic()
    while len(times) < RUNS and time.monotonic() - started < BUDGET:
        cache.clear()
        t = time.perf_counter()
        selectors.summary(user=user)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"p95 {p95:.1f} n {len(times)}")


if __name__ == "__main__":
    main()
