"""What bench/scale.sh measures, read from the seeded database and the URL configuration, so that a
new list endpoint, project tab or navigation page is measured without editing the bench.

Prints one line per request, tab-separated: name, path, who (ndrc | staff | audit: a Bearer token;
ui-ndrc | ui-staff: a logged-in session), target (the ratio to /healthz it must reach), and first a
line `users <ndrc> <staff> <audit>`. Run by bench/scale.sh with DATABASE_URL set; writes nothing."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from urllib.parse import quote

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egovpm.config.settings")

import django

django.setup()

from django.db.models import Count, Q  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver, reverse  # noqa: E402

from egovpm.projects.models import Project  # noqa: E402
from egovpm.web import registry  # noqa: E402

# Targets, as a ratio to /healthz in the same run (issue 13 item 4; docs/performance.md).
LIST_FIRST = 0.2  # GET /api/v1/projects, first page
LIST_DEEP = 0.15  # a page near the end
LIST_SEARCH = 0.1  # with q=
OTHER_LISTS = 0.15  # the reports portfolio and every other list endpoint
DETAIL = 0.3  # GET /api/v1/projects/{id}
COMPLIANCE = 0.2  # GET /api/v1/projects/{id}/compliance
UI = 0.1  # every UI page
# GET /portfolio/summary (issue 14): its own target is p95 ≤ 300 ms as NDRC (bench/scale.sh prints it
# beside the row); the ratio asked of it is the UI pages'.
SUMMARY = 0.1

# API views that list although their class name does not end in ListView.
EXTRA_LISTS = {"PortfolioView", "ProjectReviewsView"}
# Lists only an audit administrator may read.
AUDIT_LISTS = {"AuditListView"}
NDRC = "syn.ndrc.officer"
AUDITOR = "syn.audit.admin"


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def _view_name(p: URLPattern) -> str:
    view = getattr(p.callback, "view_class", None) or getattr(p.callback, "cls", None)
    return view.__name__ if view is not None else ""


def _project() -> Project:
    """A project under construction with records of every kind (adjustments, reports, systems)."""
    rich = (
        Project.objects.filter(stage="construction")
        .annotate(
            adj=Count("adjustments", distinct=True),
            rep=Count("report_submissions", distinct=True),
            sys=Count("systems", distinct=True),
        )
        .filter(Q(adj__gt=0) & Q(rep__gt=0) & Q(sys__gt=0))
        .order_by("code")
        .first()
    )
    project = rich or Project.objects.order_by("code").first()
    if project is None:
        sys.exit("bench: the database holds no project (run egovpm seed-synthetic first)")
    return project


def main() -> None:
    project = _project()
    staff = f"syn.{project.lead_department.code.removeprefix('syn-')}.staff"
    print("users", NDRC, staff, AUDITOR)
    pid = str(project.pk)
    rows = [
        ("api projects (NDRC)", "/api/v1/projects", "ndrc", LIST_FIRST),
        ("api projects (staff)", "/api/v1/projects", "staff", LIST_FIRST),
        ("api projects near the end (NDRC)", "/api/v1/projects?page=DEEP", "ndrc", LIST_DEEP),
        ("api projects q= (NDRC)", f"/api/v1/projects?q={quote(project.name[:4])}", "ndrc", LIST_SEARCH),
        ("api project detail", f"/api/v1/projects/{pid}", "ndrc", DETAIL),
        ("api project compliance", f"/api/v1/projects/{pid}/compliance", "ndrc", COMPLIANCE),
        # the cockpit's figures (the cockpit page itself is a navigation page: measured below)
        ("api portfolio/summary (NDRC)", "/api/v1/portfolio/summary", "ndrc", SUMMARY),
        ("api portfolio/summary (staff)", "/api/v1/portfolio/summary", "staff", SUMMARY),
    ]
    for route, p in _patterns(get_resolver(), "/"):
        name = _view_name(p)
        if not route.startswith("/api/v1/") or route == "/api/v1/projects":
            continue
        if route.startswith("/api/v1/admin/"):  # the administrators' lists: no business read, no
            continue  # administrator in the synthetic portfolio (their query counts are pinned in tests/accounts)
        if not (name.endswith("ListView") or name in EXTRA_LISTS) or "<" in route.replace("<str:project_id>", ""):
            continue
        path = route.replace("<str:project_id>", pid)
        label = "api " + route.removeprefix("/api/v1/").replace("<str:project_id>", "{id}")
        rows.append((label, path, "audit" if name in AUDIT_LISTS else "ndrc", OTHER_LISTS))

    from egovpm.accounts.models import User

    users = {u.username: u for u in User.objects.filter(username__in=[NDRC, staff])}
    rows += [
        ("ui 待办 (NDRC)", "/", "ui-ndrc", UI),
        ("ui 待办 (staff)", "/", "ui-staff", UI),
        ("ui project list (NDRC)", "/projects/", "ui-ndrc", UI),
        ("ui project list (staff)", "/projects/", "ui-staff", UI),
    ]
    for tab in sorted(registry.TABS.values(), key=lambda t: t.order):  # `info` is the project page itself
        label = "ui project page (tab info)" if tab.key == "info" else f"ui tab {tab.key}"
        rows.append((label, tab.url(project), "ui-ndrc", UI))
    for item in sorted(registry.NAV.values(), key=lambda n: n.order):
        for who, username in (("ui-ndrc", NDRC), ("ui-staff", staff)):
            if item.visible(users[username]):
                path = reverse(item.url_name)
                if item.url_name == "web:department_record_mine":  # a redirect to one's own record: measure the record
                    path = reverse("web:department_record", kwargs={"code": users[username].department.code})
                rows.append((f"ui {item.key} ({who.removeprefix('ui-')})", path, who, UI))
    for name, path, who, target in rows:
        print(f"{name}\t{path}\t{who}\t{target}")


if __name__ == "__main__":
    main()
