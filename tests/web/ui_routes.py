"""Registry of every route of the web UI (namespace `web`) for the UI permission matrix
(test_ui_matrix.py), written from the spec (domain.md §2, ADR 0001 "scope by action"), not from
what the code answers.

Every named route is either a READ (a GET: one expected status per persona, and optional content
probes for parts of a page that belong to a narrower scope than the page itself) or POST_ONLY (a
GET answers 405). A route in neither fails test_every_ui_route_is_registered; every project tab
(web/registry.py: each tab is a page of its app, with its own route) needs a row in TABS.

Columns are those of the API matrix (tests/api/endpoints.py): anonymous, then conftest.PERSONAS.
Rows are written for the `own` side (moa's project, prov participating, the *_assigned personas
assigned); the `other` side (mob's project, the *_other personas assigned) is the mirror image.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

try:
    from api.endpoints import COLUMNS, MIRROR
except ImportError:  # pragma: no cover
    from tests.api.endpoints import COLUMNS, MIRROR

# fmt: off
#  columns:      anon staff_a leader_a staff_b leader_b staff_p ndrc mof
#                expert_assigned expert_other inspector_assigned inspector_other
#                archivist_assigned archivist_other sys_admin sec_admin audit_admin
LOGIN        = "200  302 302 302 302 302  302 302  302 302 302 302 302 302  302 302 302"
# every business user; the administrators read no business data (三员分立): 403
# (egovpm.administration.middleware: an administrator opens only the pages of their duties)
SIGNED_IN    = "302  200 200 200 200 200  200 200  200 200 200 200 200 200  403 403 403"
INBOX        = "302  200 200 200 200 200  200 200  200 200 200 200 200 200  302 302 302"  # administrators → their home
DEPT_ONLY    = "302  200 200 200 200 200  403 403  403 403 403 403 403 403  403 403 403"
AUDIT_ADMIN  = "302  403 403 403 403 403  403 403  403 403 403 403 403 403  403 403 200"
NDRC_ONLY    = "302  403 403 403 403 403  200 403  403 403 403 403 403 403  403 403 403"
RECIPIENTS   = "302  403 403 403 403 403  200 200  403 403 403 403 403 403  403 403 403"
DEPT_NDRC_MOF = "302 200 200 200 200 200  200 200  403 403 403 403 403 403  403 403 403"
# The administrators' pages (三员分立): each only its own; every business role 403.
SYS_ADMIN    = "302  403 403 403 403 403  403 403  403 403 403 403 403 403  200 403 403"
SEC_ADMIN    = "302  403 403 403 403 403  403 403  403 403 403 403 403 403  403 200 403"
# A project's summary, its needs-analysis report and its review: also an assigned expert's.
SUMMARY      = "302  200 200 404 404 200  200 200  200 404 200 404 200 404  403 403 403"
# The project's file (history, compliance, estimates, reports, systems, archives, assignments):
# the read scope ("view") — an expert assignment does not count (404), as in the API's READ row.
READ         = "302  200 200 404 404 200  200 200  404 404 200 404 200 404  403 403 403"
# The lead department's edit form: others who see the project 403, the rest 404.
LEAD_FORM    = "302  200 200 404 404 403  403 403  403 404 403 404 403 404  403 403 403"
# Editing a system: reached through the system (read scope), then the lead department's role.
SYSTEM_FORM  = "302  200 200 404 404 403  403 403  404 404 403 404 403 404  403 403 403"
# Reviews: NDRC, MoF, the project's departments and the panel's experts; inspectors and archivists
# assigned to the project see it but not its reviews (403), as the API's REVIEW_READ row.
REVIEW_READ  = "302  200 200 404 404 200  200 200  200 404 403 404 403 404  403 403 403"
# The first release's tab URLs: a redirect to the tab's own page (which then applies the scope).
# (administrators: 403 at once, as every business page)
REDIRECT     = "302  302 302 302 302 302  302 302  302 302 302 302 302 302  403 403 403"

# Content probes: 1 = the part is on the page, 0 = it is not (only checked where the page is 200).
P_SUMMARY    = "0  1 1 0 0 1  1 1  1 0 1 0 1 0  0 0 0"
P_READ       = "0  1 1 0 0 1  1 1  0 0 1 0 1 0  0 0 0"
P_REVIEWS    = "0  1 1 0 0 1  1 1  1 0 0 0 0 0  0 0 0"
CHASE          = "302  403 403 404 404 403  200 403  404 404 403 404 403 404  403 403 403"  # NDRC chases
# fmt: on


def parse(row: str) -> dict[str | None, int]:
    values = [int(v) for v in row.split()]
    assert len(values) == len(COLUMNS), f"{len(values)} values for {len(COLUMNS)} columns: {row}"
    return dict(zip(COLUMNS, values, strict=True))


def expected(row: dict[str | None, int], persona: str | None, side: str) -> int:
    """The row's value for `persona` on `side` (the other side is the mirror image of the own one)."""
    if side == "own" or persona is None:
        return row[persona]
    if persona == "staff_p":  # prov takes no part in mob's project
        return row["staff_b"]
    return row[MIRROR.get(persona, persona)]


@dataclass(frozen=True)
class Probe:
    """A part of a page, found by `present(html, world_side)`, with who may see it."""

    name: str
    present: Callable[[str, Any], bool]
    row: str

    @property
    def expect(self) -> dict[str | None, int]:
        return parse(self.row)


@dataclass(frozen=True)
class Read:
    name: str  # URL pattern name under namespace `web`
    path: Callable[[Any], str]  # side of the world -> path
    row: str
    probes: tuple[Probe, ...] = ()
    label: str = ""  # several entries of one route (the project tabs)
    expect: dict[str | None, int] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "expect", parse(self.row))

    @property
    def id(self) -> str:
        return self.label or self.name


def _row_of(html: str, code: str) -> str:
    """The table row of the project `code` in a list page ('' when absent)."""
    for chunk in html.split("<tr")[1:]:
        row = chunk.split("</tr>")[0]
        if code in row:
            return row
    return ""


def _pid(name: str, attr: str = "main") -> Callable[[Any], str]:
    return lambda w: reverse(f"web:{name}", kwargs={"pk": getattr(w, attr).pk})


def _tab(tab: str, attr: str = "main") -> Callable[[Any], str]:
    from egovpm.web.registry import TABS as REGISTERED

    return lambda w: reverse(REGISTERED[tab].url_name, kwargs={"pk": getattr(w, attr).pk})


def _tab_route(tab: str) -> str:
    from egovpm.web.registry import TABS as REGISTERED

    return REGISTERED[tab].url_name.removeprefix("web:")


def _review(name: str) -> Callable[[Any], str]:
    return lambda w: reverse(f"web:{name}", kwargs={"pk": w.review.pk})


LISTED = Probe("the project is listed", lambda html, w: w.main.code in html, P_SUMMARY)
BADGES = Probe("its compliance badges", lambda html, w: 'class="badge' in _row_of(html, w.main.code), P_READ)
HISTORY = Probe("the stage history (actors, approval numbers)", lambda html, w: w.approval_reference in html, P_READ)
REVIEW_SHOWN = Probe("the review", lambda html, w: w.review_text in html, P_REVIEWS)

# Project tabs (each its app's page, web/registry.py): the row of each tab key.
TABS: dict[str, tuple[str, str, tuple[Probe, ...]]] = {
    # key: (row, project attribute of the world, probes)
    "info": (SUMMARY, "main", ()),
    "documents": (SUMMARY, "main", ()),
    "reviews": (SUMMARY, "reviewed", (REVIEW_SHOWN,)),
    "compliance": (READ, "main", ()),
    "assignments": (READ, "main", ()),
    "budgets": (READ, "main", ()),
    "reports": (READ, "main", ()),
    "security": (READ, "main", ()),
    "archives": (READ, "main", ()),
    "procurement": (READ, "main", ()),
    "inspections": (READ, "main", ()),
    # 后评价: the project's file, then NDRC, its departments and its assigned inspectors/evaluators;
    # archivists 403 (as the API's post-evaluations row); MoF reads, as it reads the record's conclusions
    "evaluations": ("302  200 200 404 404 200  200 200  404 404 200 404 403 404  403 403 403", "main", ()),
}

TEMPLATE_READ = "302  403 403 403 403 403  200 403  403 403 200 200 403 403  403 403 403"


def _evaluation_template(w: Any) -> str:
    """An indicator template (NDRC's), made on first use."""
    from egovpm.accounts.models import User
    from egovpm.evaluations.models import EvaluationTemplate
    from egovpm.evaluations.services import template_add

    template = EvaluationTemplate.objects.first() or template_add(
        actor=User.objects.get(username="ndrc"),
        name="矩阵指标体系",
        indicators=[
            {"name": "运行效率", "weight": "40", "dimension": "efficiency"},
            {"name": "应用效果", "weight": "60", "dimension": "effect"},
        ],
    )
    return reverse("web:evaluation_template", kwargs={"template_id": template.pk})


READS: list[Read] = [
    Read("login", lambda w: reverse("web:login"), LOGIN),
    Read("inbox", lambda w: reverse("web:inbox"), INBOX),
    Read("project_list", lambda w: reverse("web:project_list"), SIGNED_IN, (LISTED, BADGES)),
    Read("project_create", lambda w: reverse("web:project_create"), DEPT_ONLY),
    Read("project_detail", _pid("project_detail"), SUMMARY, (HISTORY,)),
    Read("project_edit", _pid("project_edit"), LEAD_FORM),
    *(
        Read(_tab_route(key), _tab(key, attr), row, probes, label=f"tab:{key}")
        for key, (row, attr, probes) in TABS.items()
    ),
    Read(
        "project_tab",
        lambda w: reverse("web:project_tab", kwargs={"pk": w.main.pk, "tab": "budgets"}),
        REDIRECT,
    ),
    Read("people_search", lambda w: reverse("web:people_search") + "?q=a", NDRC_ONLY),  # the name picker
    Read(  # a list of people to tick, searched (the experts of a panel, an inspection's inspectors)
        "people_choices",
        lambda w: reverse("web:people_choices", kwargs={"source": "expert_pool"}) + "?field=experts&q=a",
        NDRC_ONLY,
    ),
    Read("audit", lambda w: reverse("web:audit"), AUDIT_ADMIN),
    Read("audit_export", lambda w: reverse("web:audit_export"), AUDIT_ADMIN),
    Read("admin_users", lambda w: reverse("web:admin_users"), SYS_ADMIN),
    Read("admin_user_add", lambda w: reverse("web:admin_user_add"), SYS_ADMIN),
    Read("admin_user_edit", lambda w: reverse("web:admin_user_edit", kwargs={"username": "staff_a"}), SYS_ADMIN),
    Read("admin_departments", lambda w: reverse("web:admin_departments"), SYS_ADMIN),
    Read("admin_department_edit", lambda w: reverse("web:admin_department_edit", kwargs={"code": "moa"}), SYS_ADMIN),
    Read("admin_roles", lambda w: reverse("web:admin_roles"), SEC_ADMIN),
    Read("admin_user_roles", lambda w: reverse("web:admin_user_roles", kwargs={"username": "staff_a"}), SEC_ADMIN),
    Read("admin_locked", lambda w: reverse("web:admin_locked"), SEC_ADMIN),
    Read("admin_policy", lambda w: reverse("web:admin_policy"), SEC_ADMIN),
    Read("admin_audit_home", lambda w: reverse("web:admin_audit_home"), AUDIT_ADMIN),
    # one's own password: everyone signed in, the administrators too
    Read(
        "password_change",
        lambda w: reverse("web:password_change"),
        "302  200 200 200 200 200  200 200  200 200 200 200 200 200  200 200 200",
    ),
    Read("budgets_queue", lambda w: reverse("web:budgets_queue"), DEPT_NDRC_MOF),
    Read("budgets_import_template", _pid("budgets_import_template"), READ),
    Read("procurement_template", _pid("procurement_template"), READ),
    Read("report_home", lambda w: reverse("web:report_home"), DEPT_NDRC_MOF),
    Read("report_portfolio_export", lambda w: reverse("web:report_portfolio_export"), RECIPIENTS),
    Read("cockpit", lambda w: reverse("web:cockpit"), DEPT_NDRC_MOF),
    # the department record (履约档案) of the side's lead department (moa; mob on the other side):
    # NDRC, MoF and that department itself; anyone else 404 (issue 11)
    Read(
        "department_record",
        lambda w: reverse("web:department_record", kwargs={"code": w.main.lead_department.code}),
        "302  200 200 404 404 404  200 200  404 404 404 404 404 404  403 403 403",
    ),
    # 本部门履约档案: a department's member goes to their own; nobody else has one
    Read(
        "department_record_mine",
        lambda w: reverse("web:department_record_mine"),
        "302  302 302 302 302 302  404 404  404 404 404 404 404 404  403 403 403",
    ),
    Read("project_export", lambda w: reverse("web:project_export"), SIGNED_IN),
    Read(
        "report_detail",
        lambda w: reverse("web:report_detail", kwargs={"pk": w.main.pk, "period": w.period}),
        READ,
    ),
    # the report as PDF for the browser (issue 15): who reads the report; 503 page without WeasyPrint
    Read(
        "report_pdf_document",
        lambda w: reverse("web:report_pdf_document", kwargs={"pk": w.main.pk, "period": w.period}),
        READ,
    ),
    Read(
        "review_list",
        lambda w: reverse("web:review_list"),
        SIGNED_IN,
        (Probe("the review is listed", lambda html, w: w.reviewed.code in html, P_REVIEWS),),
    ),
    Read("review_pool", lambda w: reverse("web:review_pool"), NDRC_ONLY),
    Read("review_detail", _review("review_detail"), REVIEW_READ),
    Read("review_document", _review("review_document"), REVIEW_READ),
    Read(
        "review_attachment",
        lambda w: reverse("web:review_attachment", kwargs={"pk": w.review.pk, "username": w.attachment_by}),
        REVIEW_READ,
    ),
    Read(
        "security_system_edit",
        lambda w: reverse("web:security_system_edit", kwargs={"pk": w.main.pk, "system_id": w.system.pk}),
        SYSTEM_FORM,
    ),
    Read(
        "archives",
        lambda w: reverse("web:archives"),
        SIGNED_IN,
        (Probe("the project is listed", lambda html, w: w.main.code in html, P_READ),),
    ),
    # notifications: the message centre, e-mail choices and 已办 are every signed-in user's own;
    # the chase form is NDRC's, after the project's read scope (404), then 403
    # 监督检查: an inspector's own inspections, everyone else's those of the projects they read
    Read("inspections", lambda w: reverse("web:inspections"), SIGNED_IN),
    # 评价指标体系: NDRC manages, the evaluators (inspector role) read
    Read("evaluation_templates", lambda w: reverse("web:evaluation_templates"), TEMPLATE_READ),
    Read("evaluation_template", _evaluation_template, TEMPLATE_READ),
    Read("messages", lambda w: reverse("web:messages"), SIGNED_IN),
    Read("notification_preferences", lambda w: reverse("web:notification_preferences"), SIGNED_IN),
    Read("done", lambda w: reverse("web:done"), SIGNED_IN),
    Read("project_chase", _pid("project_chase"), CHASE),
]

# Routes that take no GET (a GET answers 405): forms post here and redisplay their page on error.
POST_ONLY = {
    "logout",
    "admin_user_active",
    "admin_user_password",
    "admin_user_unlock",
    "admin_audit_verify",
    "project_transition",
    "budgets_estimate",
    "budgets_preview",
    "budgets_adjustment_create",
    "budgets_expenditure",
    "budgets_import",
    "budgets_decide",
    "budgets_withdraw",
    "project_document_withdraw",
    "budgets_file",
    "budgets_acknowledge",
    "report_submit",
    "report_draft",
    "report_return",
    "report_acknowledge",
    "review_pool_expert",
    "review_pool_toggle",
    "review_pool_specialty",
    "review_opinion",
    "review_conclude",
    "review_form",
    "review_co_authors",
    "security_system_add",
    "security_system_exception",
    "security_risk_add",
    "archives_document_archive",
    "archives_acceptance_add",
    "procurement_add",
    "procurement_edit",
    "procurement_delete",
    "procurement_import",
    "procurement_modes",
    "evaluations_add",
    "inspections_open",
    "inspections_finding_add",
    "inspections_issue",
    "rectification_answer",
    "rectification_close",
    "rectification_reopen",
    "message_read",
    "messages_read_all",
}
