"""Registry of every API endpoint for the permission matrix (domain.md §2, api.md).

One entry per (URL pattern name under namespace `api`, HTTP method): a request builder and the
expected status for every persona of conftest.PERSONAS plus anonymous. test_permission_matrix.py
fails on any (pattern, method) of egovpm.config.api_urls that is missing here, so a new endpoint
fails the suite until it is registered.

The expectations are written for the `own` side: the target project is led by moa, prov takes
part in it and the *_assigned personas are assigned to it. Project-scoped endpoints also run on
the `other` side: a project led by mob with the *_other personas assigned and no participant. Its
expectations are the mirror image (staff_a <-> staff_b, leader_a <-> leader_b, *_assigned <->
*_other); staff_p is outside it, like staff_b on the own side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

try:  # tests/ is on sys.path (rootdir-relative imports); tests.conftest if tests/ becomes a package
    from conftest import PASSWORD, PERSONAS, ready_for
except ImportError:  # pragma: no cover
    from tests.conftest import PASSWORD, PERSONAS, ready_for

# Column order of the expectation rows below: anonymous first, then conftest.PERSONAS in order.
COLUMNS: list[str | None] = [None, *PERSONAS]

# own side <-> other side
MIRROR = {
    "staff_a": "staff_b",
    "leader_a": "leader_b",
    "expert_assigned": "expert_other",
    "inspector_assigned": "inspector_other",
    "archivist_assigned": "archivist_other",
}
MIRROR |= {v: k for k, v in MIRROR.items()}


@dataclass
class Ctx:
    """What a request builder may use: the side, the target project, the personas."""

    side: str  # "own" (moa's project) or "other" (mob's project)
    persona: str | None
    project: Any
    personas: dict[str, Any]
    _document: Any = None

    def p(self, name: str) -> str:
        """The persona playing `name`'s part on this side (names are written for the own side)."""
        return MIRROR.get(name, name) if self.side == "other" else name

    @property
    def pid(self) -> str:
        return str(self.project.pk)

    def document(self) -> Any:
        """A document of the target project, uploaded by its lead department's staff."""
        if self._document is None:
            from django.conf import settings
            from django.core.files.uploadedfile import SimpleUploadedFile

            from egovpm.documents.services import document_upload

            self._document = document_upload(
                actor=self.personas[self.p("staff_a")],
                project_id=self.project.pk,
                file=SimpleUploadedFile("needs.pdf", b"%PDF-1.4 needs analysis", content_type="application/pdf"),
                stage="draft",
                category="needs_analysis_report",
                title="需求分析报告",
                max_bytes=settings.EGOVPM_MAX_UPLOAD_BYTES,
            )
        return self._document


@dataclass(frozen=True)
class Call:
    path: str
    data: Any = None
    format: str | None = "json"


@dataclass(frozen=True)
class Endpoint:
    name: str  # URL pattern name under namespace `api`
    method: str  # lower-case HTTP method
    build: Callable[[Ctx], Call]
    expect_row: str  # one status per column of COLUMNS
    project_scoped: bool = False  # also run against the other department's project
    expect: dict[str | None, int] = field(init=False)

    def __post_init__(self) -> None:
        statuses = [int(s) for s in self.expect_row.split()]
        assert len(statuses) == len(COLUMNS), f"{self.key}: {len(statuses)} statuses for {len(COLUMNS)} columns"
        object.__setattr__(self, "expect", dict(zip(COLUMNS, statuses, strict=True)))

    @property
    def key(self) -> tuple[str, str]:
        return (self.name, self.method)

    def expected(self, persona: str | None, side: str) -> int:
        if side == "own":
            return self.expect[persona]
        assert self.project_scoped
        if persona == "staff_p":  # prov takes no part in mob's project
            return self.expect["staff_b"]
        return self.expect[MIRROR.get(persona, persona) if persona else None]  # type: ignore[arg-type]


def _url(name: str, **kwargs: str) -> str:
    return reverse(f"api:{name}", kwargs=kwargs)


def _token_body(ctx: Ctx) -> Call:
    if ctx.persona is None:  # anonymous tries a wrong password: 401
        return Call(_url("auth-token"), {"username": "staff_a", "password": "wrong-password-1A"})
    return Call(_url("auth-token"), {"username": ctx.persona, "password": PASSWORD})


def _project_create(ctx: Ctx) -> Call:
    dept = PERSONAS[ctx.persona][0] if ctx.persona else "moa"
    body = {"name": "新建项目", "lead_department": dept, "responsible_leader": {"name": "李四", "title": "司长"}}
    return Call(_url("projects"), body)


def _transition(ctx: Ctx) -> Call:
    # NDRC may cancel a project at any active stage (with a reason); everyone else tries the lead
    # department's move from draft, whose gate C2.1 the fixture satisfies.
    ndrc = ctx.persona == "ndrc"
    body = {"action": "cancel", "comment": "不再建设"} if ndrc else {"action": "submit_needs_analysis"}
    return Call(_url("project-transition", project_id=ctx.pid), body)


def _upload(ctx: Ctx) -> Call:
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = {
        "file": SimpleUploadedFile("proposal.pdf", b"%PDF-1.4 proposal", content_type="application/pdf"),
        "stage": "draft",
        "category": "other",
        "title": "补充材料",
    }
    return Call(_url("documents", project_id=ctx.pid), body, format="multipart")


def _event_reference(ctx: Ctx) -> Call:
    # The project passes approve_proposal without its 批复文号 (C1.1 fails); NDRC records it afterwards.
    import datetime as dt

    from egovpm.projects.services import project_transition

    lead, ndrc = ctx.personas[ctx.p("staff_a")], ctx.personas["ndrc"]
    for actor, action in ((lead, "submit_needs_analysis"), (lead, "submit_proposal"), (ndrc, "approve_proposal")):
        ready_for(ctx.project, action, dt.date(2026, 1, 5))
        project_transition(actor=actor, project_id=ctx.project.pk, action=action, effective_date=dt.date(2026, 1, 5))
    path = reverse("api:project-event-reference", kwargs={"project_id": ctx.pid, "seq": 3})
    return Call(path, {"approval_reference": "发改高技〔2026〕12号"})


def _pid(name: str) -> Callable[[Ctx], Call]:
    return lambda ctx: Call(_url(name, project_id=ctx.pid))


def _doc(name: str) -> Callable[[Ctx], Call]:
    return lambda ctx: Call(_url(name, document_id=str(ctx.document().pk)))


# fmt: off
#  columns:      anon staff_a leader_a staff_b leader_b staff_p ndrc mof
#                expert_assigned expert_other inspector_assigned inspector_other
#                archivist_assigned archivist_other sys_admin sec_admin audit_admin
PUBLIC      = "200  200 200 200 200 200  200 200  200 200 200 200 200 200  200 200 200"
SIGNED_IN   = "401  200 200 200 200 200  200 200  200 200 200 200 200 200  200 200 200"
# every business user; the administrators read no business data (三员分立, accounts/permissions.py)
BUSINESS    = "401  200 200 200 200 200  200 200  200 200 200 200 200 200  403 403 403"
DEPT_CREATE = "401  201 201 201 201 201  403 403  403 403 403 403 403 403  403 403 403"
READ        = "401  200 200 404 404 200  200 200  404 404 200 404 200 404  403 403 403"


def hidden_from_experts(row: str) -> str:
    """The same row with the assigned expert outside scope (404): objects reached through the
    project's full file (estimates, adjustments, systems, archived documents …) are not part of
    what an expert assigned to a review may see (projects/policies.py EXPERT_ACTIONS)."""
    statuses = row.split()
    statuses[COLUMNS.index("expert_assigned")] = "404"
    return " ".join(statuses)


# The project summary and its needs-analysis report: also what an expert assigned to its review reads.
SUMMARY     = "401  200 200 404 404 200  200 200  200 404 200 404 200 404  403 403 403"
LEAD_EDIT   = "401  200 200 404 404 403  403 403  403 404 403 404 403 404  403 403 403"
TRANSITION  = "401  200 200 404 404 403  200 403  403 404 403 404 403 404  403 403 403"
NDRC_ONLY   = "401  403 403 404 404 403  200 403  403 404 403 404 403 404  403 403 403"
NDRC_ADD    = "401  403 403 404 404 403  201 403  403 404 403 404 403 404  403 403 403"
NDRC_DELETE = "401  403 403 404 404 403  204 403  403 404 403 404 403 404  403 403 403"
UPLOAD      = "401  201 201 404 404 201  403 403  403 404 403 404 403 404  403 403 403"
AUDIT_ADMIN = "401  403 403 403 403 403  403 403  403 403 403 403 403 403  403 403 200"
TOKEN       = "401  200 200 200 200 200  200 200  200 200 200 200 200 200  200 200 200"
REVOKE      = "401  204 204 204 204 204  204 204  204 204 204 204 204 204  204 204 204"
# fmt: on

ENDPOINTS: list[Endpoint] = [
    Endpoint("schema", "get", lambda ctx: Call(_url("schema")), PUBLIC),
    Endpoint("docs", "get", lambda ctx: Call(_url("docs")), PUBLIC),
    Endpoint("auth-token", "post", _token_body, TOKEN),
    Endpoint("auth-token", "delete", lambda ctx: Call(_url("auth-token")), REVOKE),  # revokes the caller's token
    Endpoint("me", "get", lambda ctx: Call(_url("me")), SIGNED_IN),
    Endpoint("departments", "get", lambda ctx: Call(_url("departments")), SIGNED_IN),
    Endpoint("projects", "get", lambda ctx: Call(_url("projects")), BUSINESS),
    Endpoint("projects", "post", _project_create, DEPT_CREATE),
    Endpoint("project", "get", _pid("project"), SUMMARY, project_scoped=True),
    Endpoint(
        "project",
        "patch",
        lambda ctx: Call(_url("project", project_id=ctx.pid), {"name": "改名后的项目", "business_unit": "规划司"}),
        LEAD_EDIT,
        project_scoped=True,
    ),
    Endpoint("project-transition", "post", _transition, TRANSITION, project_scoped=True),
    Endpoint("project-events", "get", _pid("project-events"), READ, project_scoped=True),
    Endpoint(
        "project-entrust",
        "post",
        lambda ctx: Call(_url("project-entrust", project_id=ctx.pid), {"entrusted": True, "reason": "小型项目"}),
        NDRC_ONLY,
        project_scoped=True,
    ),
    Endpoint("project-event-reference", "post", _event_reference, NDRC_ONLY, project_scoped=True),
    Endpoint("project-compliance", "get", _pid("project-compliance"), READ, project_scoped=True),
    Endpoint("assignments", "get", _pid("assignments"), READ, project_scoped=True),
    Endpoint(
        "assignments",
        "post",
        # someone not yet assigned on this side
        lambda ctx: Call(
            _url("assignments", project_id=ctx.pid), {"user": ctx.p("inspector_other"), "as": "evaluator"}
        ),
        NDRC_ADD,
        project_scoped=True,
    ),
    Endpoint(
        "assignment",
        "delete",
        lambda ctx: Call(_url("assignment", project_id=ctx.pid, username=ctx.p("archivist_assigned"))),
        NDRC_DELETE,
        project_scoped=True,
    ),
    Endpoint("documents", "get", _pid("documents"), SUMMARY, project_scoped=True),
    Endpoint("documents", "post", _upload, UPLOAD, project_scoped=True),
    Endpoint("document", "get", _doc("document"), SUMMARY, project_scoped=True),
    Endpoint("document-content", "get", _doc("document-content"), SUMMARY, project_scoped=True),
    Endpoint("audit", "get", lambda ctx: Call(_url("audit")), AUDIT_ADMIN),
    Endpoint("audit-export", "get", lambda ctx: Call(_url("audit-export")), AUDIT_ADMIN),
]


def _domain_endpoints() -> list[Endpoint]:
    """Each domain app registers its endpoints in tests/api/endpoints_<app>.py as a list named
    ENDPOINTS, using the rows and helpers of this module."""
    import importlib
    import pkgutil
    from pathlib import Path

    found: list[Endpoint] = []
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("endpoints_"):
            try:
                mod = importlib.import_module(f"api.{module.name}")
            except ImportError:  # pragma: no cover
                mod = importlib.import_module(f"tests.api.{module.name}")
            found.extend(mod.ENDPOINTS)
    return found


ENDPOINTS += _domain_endpoints()
REGISTRY: dict[tuple[str, str], Endpoint] = {e.key: e for e in ENDPOINTS}
assert len(REGISTRY) == len(ENDPOINTS), "an endpoint is registered twice"


def cases() -> list[tuple[Endpoint, str, str | None]]:
    """(endpoint, side, persona) for every case of the matrix."""
    out = []
    for e in ENDPOINTS:
        for side in ("own", "other") if e.project_scoped else ("own",):
            out.extend((e, side, persona) for persona in COLUMNS)
    return out
